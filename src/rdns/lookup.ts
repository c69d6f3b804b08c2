// One PTR lookup through node:dns (c-ares, no thread pool): a name, a definitive "no name"
// (NXDOMAIN, or no PTR record), or a failure (timeout, SERVFAIL, garbage, refused) that is not
// a statement about the address and therefore never stored in the persistent cache.
import { Resolver, lookup as dnsLookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { RuntimeError, UsageError } from '../cli/errors.js';
import { ptrQueryName } from './address.js';
import { cleanName } from './clean-name.js';

export type LookupResult =
  | { kind: 'name'; name: string }
  | { kind: 'none' }
  | { kind: 'fail'; code: string };

export type PtrLookup = (canonical: string) => Promise<LookupResult>;

/**
 * `--dns-server` values: `HOST`, `HOST:PORT`, `[V6]:PORT`, bare `V6`; several separated by
 * commas. HOST is an IP address or a host name (looked up once with the system resolver, see
 * resolveDnsServers). Returns the servers as c-ares takes them, names still unresolved.
 */
export function parseDnsServers(spec: string): string[] {
  const out: string[] = [];
  for (const raw of spec.split(',').map((s) => s.trim()).filter(Boolean)) {
    let host = raw;
    let port: string | undefined;
    const v6 = /^\[([^\]]+)\](?::(\d+))?$/.exec(raw);
    if (v6) {
      host = v6[1]!;
      port = v6[2];
      if (isIP(host) !== 6) throw new UsageError(`--dns-server: ${JSON.stringify(raw)}: only an IPv6 address goes in brackets`);
    } else if (raw.split(':').length === 2) {
      [host, port] = raw.split(':') as [string, string];
    }
    const fam = isIP(host);
    if (fam === 0 && !HOST_NAME.test(host)) {
      throw new UsageError(`--dns-server: ${JSON.stringify(raw)} is not an IP address or host name with an optional port (HOST, HOST:PORT, [IPV6]:PORT)`);
    }
    if (port !== undefined) {
      const n = Number(port);
      if (!/^\d+$/.test(port) || n < 1 || n > 65535) throw new UsageError(`--dns-server: port must be 1-65535 in ${JSON.stringify(raw)}`);
    }
    out.push(port === undefined ? host : fam === 6 ? `[${host}]:${port}` : `${host}:${port}`);
  }
  if (out.length === 0) throw new UsageError('--dns-server: no server given');
  return out;
}

const HOST_NAME = /^(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\.?$/;

/** Replace host names in parsed servers by their address (system resolver: /etc/hosts, DNS). */
export async function resolveDnsServers(servers: string[] | undefined): Promise<string[] | undefined> {
  if (!servers) return servers;
  return Promise.all(servers.map(async (s) => {
    if (s.startsWith('[') || isIP(s)) return s;
    const [host, port] = s.split(':') as [string, string | undefined];
    if (isIP(host)) return s;
    let address: string;
    let family: number;
    try {
      ({ address, family } = await dnsLookup(host));
    } catch (err) {
      throw new RuntimeError(`--dns-server: cannot resolve ${JSON.stringify(host)}: ${(err as { code?: string }).code ?? (err as Error).message}`);
    }
    if (port === undefined) return address;
    return family === 6 ? `[${address}]:${port}` : `${address}:${port}`;
  }));
}

const NEGATIVE = new Set(['ENOTFOUND', 'ENODATA']);

export interface PtrLookupOptions {
  /** c-ares server strings (parseDnsServers); default: the system's resolvers */
  servers?: string[];
  /** per lookup, in milliseconds */
  timeoutMs: number;
}

/** A PTR lookup function and a way to abandon everything still in flight. */
export function createPtrLookup(opts: PtrLookupOptions): { lookup: PtrLookup; cancel: () => void } {
  // tries: 1 — a retry would double the time a record can wait; the answer is cached either way.
  const resolver = new Resolver({ timeout: opts.timeoutMs, tries: 1 });
  if (opts.servers?.length) resolver.setServers(opts.servers);
  const lookup: PtrLookup = async (canonical) => {
    // c-ares keeps its own timer; this one is the guarantee that nothing waits much longer.
    let timer: NodeJS.Timeout | undefined;
    const guard = new Promise<LookupResult>((resolve) => {
      timer = setTimeout(() => resolve({ kind: 'fail', code: 'ETIMEOUT' }), opts.timeoutMs + 250);
    });
    const ask = resolver.resolvePtr(ptrQueryName(canonical)).then(
      (names): LookupResult => {
        for (const n of names) {
          const name = cleanName(n);
          if (name) return { kind: 'name', name };
        }
        return names.length ? { kind: 'fail', code: 'EBADNAME' } : { kind: 'none' };
      },
      (err: { code?: string }): LookupResult => (NEGATIVE.has(err.code ?? '') ? { kind: 'none' } : { kind: 'fail', code: err.code ?? 'EUNKNOWN' }),
    );
    try {
      return await Promise.race([ask, guard]);
    } finally {
      clearTimeout(timer);
    }
  };
  return { lookup, cancel: () => resolver.cancel() };
}
