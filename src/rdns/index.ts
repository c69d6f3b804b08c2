// The programmatic API of ipta-rdns, for the `ipta` wrapper.
export { rdnsStream, rdnsBatchStream, DEFAULT_CONCURRENCY, DEFAULT_TIMEOUT_MS, DEFAULT_TTL_HOURS, type RdnsOptions } from './rdns-stream.js';
export { rdnsEngine, rdnsBatchEngine, newStats, type RdnsStats, type RdnsEngineOptions } from './rdns-engine.js';
export { withRdnsOptions, withRdnsCommandOptions, rdnsOptionsFromArgv, parseFields, dbFlagGiven, type RdnsArgs } from './options.js';
export { createPtrLookup, parseDnsServers, resolveDnsServers, type PtrLookup, type LookupResult } from './lookup.js';
export { dnsCreateTable, dnsCacheClear, dnsPrune, dnsDump, dumpLine, type DnsEntry } from './maintenance.js';
export { runDnsMaintenance, maintenanceFromArgv, wantsMaintenance, type DnsMaintenance } from './maintain.js';
export { canonicalAddress, ptrQueryName } from './address.js';
export { cleanName } from './clean-name.js';
export { ndjsonBatches } from '../stream/ndjson-lines.js';
export { RAW, recordLine, rdnsOut, rdnsBatchOut } from './rdns-out.js';
