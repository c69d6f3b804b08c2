// The wrapper's switches, in the order of the IPTA 0.2 manual. One table drives the argv
// normalisation (multi-letter short forms, alternative spellings), the yargs options, --help and
// --usage, so they cannot disagree.

export type SwitchType = 'boolean' | 'string' | 'array' | 'number' | 'negation';

export interface Switch {
  /** canonical long name without dashes (a negation is written `--no-<name>`) */
  name: string;
  /** short forms as written in the manual, without the dash: `c`, `lt`, `pi` */
  short?: string[];
  /** other long spellings (without dashes) that mean the same */
  aliases?: string[];
  type: SwitchType;
  /** argument shown in help: FILE, FILE..., [NAME], N */
  arg?: string;
  group: 'Modes' | 'Input' | 'Database' | 'Format' | 'DNS cache' | 'Other';
  describe: string;
}

export const SWITCHES: Switch[] = [
  // Modes
  { name: 'clear', short: ['c'], type: 'boolean', group: 'Modes', describe: 'empty the log table (before an import on the same line)' },
  { name: 'import', short: ['i'], type: 'array', arg: 'FILE...', group: 'Modes', describe: 'parse log files into the database (.gz read, rotated files oldest first; - is stdin); with --follow FILE: keep importing a live log' },
  { name: 'analyze', short: ['a'], type: 'array', arg: '[FILE...]', group: 'Modes', describe: 'the analyzer report: of the log files given (no database needed), else of the database' },
  { name: 'follow', short: ['f'], type: 'string', arg: 'FILE', group: 'Modes', describe: 'show packets as they are logged to FILE (tail -F: survives rotation)' },
  { name: 'scan', type: 'array', arg: 'FILE...', group: 'Modes', describe: 'show every packet of the log files, as --follow would (no database)' },
  { name: 'analyze-interactive', short: ['ai'], type: 'boolean', group: 'Modes', describe: 'read-only SQL prompt on the database (help lists tables and columns)' },
  { name: 'html', type: 'string', arg: 'FILE', group: 'Modes', describe: 'write the analyzer report as a self-contained HTML page to FILE (with --analyze, or alone)' },
  // Input (how log lines are read: the options of ipta-parse)
  { name: 'prefix', type: 'string', arg: 'TEXT', group: 'Input', describe: 'take only lines whose log prefix contains TEXT (--prefix IPT: reads logs as IPTA 0.2 did)' },
  { name: 'tz', type: 'string', arg: 'ZONE', group: 'Input', describe: 'time zone of stamps that carry none (default: the local one, TZ)' },
  { name: 'year', type: 'number', arg: 'YEAR', group: 'Input', describe: 'year of year-less syslog stamps (default: inferred from the file\'s time)' },
  { name: 'quiet', short: ['q'], type: 'boolean', group: 'Input', describe: 'no summary of lines read on stderr' },
  // Database
  { name: 'db-name', short: ['d'], type: 'string', arg: 'NAME', group: 'Database', describe: 'database (default ipta)' },
  { name: 'db-host', short: ['h'], type: 'string', arg: 'HOST', group: 'Database', describe: 'server host (default localhost); -h is the host, help is --help' },
  { name: 'db-user', short: ['u'], type: 'string', arg: 'USER', group: 'Database', describe: 'user (default ipta)' },
  { name: 'db-pass', short: ['p'], type: 'string', arg: 'PASS', group: 'Database', describe: 'password (visible in the process list: prefer -pi, IPTA_DB_PASS or ~/.ipta)' },
  { name: 'db-pass-i', short: ['pi'], type: 'boolean', group: 'Database', describe: 'ask for the password (no echo; read from stdin when it is not a terminal)' },
  { name: 'db-table', short: ['t'], type: 'string', arg: 'TABLE', group: 'Database', describe: 'log table (default logs)' },
  { name: 'list-tables', short: ['lt'], type: 'boolean', group: 'Database', describe: 'list the tables with their row counts' },
  { name: 'delete-table', short: ['dt'], type: 'string', arg: 'TABLE', group: 'Database', describe: 'delete one of ipta\'s tables' },
  { name: 'delete-all-tables', short: ['da'], type: 'boolean', group: 'Database', describe: 'delete every table ipta created (asks on a terminal, else needs --yes)' },
  { name: 'create-table', short: ['ct'], type: 'string', arg: '[NAME]', group: 'Database', describe: 'create the log table (default: the --db-table name)' },
  { name: 'save-db', short: ['s'], type: 'boolean', group: 'Database', describe: 'save the database settings of this command line to ~/.ipta, or $IPTA_CONFIG (mode 0600)' },
  { name: 'db', type: 'string', arg: 'URL', group: 'Database', describe: 'all settings as one URL mysql://user:pass@host:port/db' },
  { name: 'db-port', type: 'number', arg: 'PORT', group: 'Database', describe: 'server port (default 3306)' },
  { name: 'db-socket', type: 'string', arg: 'PATH', group: 'Database', describe: 'unix socket (instead of host and port)' },
  { name: 'db-ssl', type: 'boolean', group: 'Database', describe: 'connect with TLS' },
  { name: 'db-ssl-ca', type: 'string', arg: 'FILE', group: 'Database', describe: 'CA certificate for TLS' },
  { name: 'yes', type: 'boolean', group: 'Database', describe: 'confirm --delete-all-tables without asking' },
  // Format
  { name: 'rdns', short: ['r'], type: 'boolean', group: 'Format', describe: 'show host names (reverse DNS, cached in the DNS table)' },
  { name: 'limit', short: ['l'], type: 'string', arg: 'N', group: 'Format', describe: 'rows per analyzer module, 1 to 1000 (default 10)' },
  { name: 'header', type: 'negation', group: 'Format', describe: 'no column headings' },
  { name: 'counter', short: ['C'], aliases: ['count'], type: 'negation', group: 'Format', describe: 'no Count column in packet rows' },
  { name: 'local', aliases: ['lo'], type: 'negation', group: 'Format', describe: 'leave out traffic on the loopback interface lo' },
  { name: 'accept', type: 'negation', group: 'Format', describe: 'leave out accepted packets' },
  // DNS cache
  { name: 'ttl', aliases: ['dns-ttl', 'dns-cache-ttl'], type: 'string', arg: 'HOURS', group: 'DNS cache', describe: 'age after which a cached name is looked up again (default 336; 0 = never expire)' },
  { name: 'dns-prune', short: ['dp'], type: 'boolean', group: 'DNS cache', describe: 'delete cached names older than the TTL' },
  { name: 'dns-create-table', type: 'boolean', group: 'DNS cache', describe: 'create the DNS cache table' },
  { name: 'dns-table', type: 'string', arg: 'NAME', group: 'DNS cache', describe: 'DNS cache table (default dns)' },
  { name: 'dns-dump', type: 'boolean', group: 'DNS cache', describe: 'print the cache: address and name, by address' },
  { name: 'dns-cache-clear', aliases: ['dnsc-clear'], type: 'boolean', group: 'DNS cache', describe: 'empty the DNS cache' },
  // Other
  { name: 'license', type: 'boolean', group: 'Other', describe: 'print the license and exit' },
  { name: 'version', type: 'boolean', group: 'Other', describe: 'print the version and exit' },
  { name: 'usage', type: 'boolean', group: 'Other', describe: 'print a short usage summary and exit' },
  { name: 'help', type: 'boolean', group: 'Other', describe: 'print this help and exit' },
];

/** `lt` -> `--list-tables`, `C` -> `--no-counter`, ... (every short form, with its dashes). */
export const SHORT_FORMS: ReadonlyMap<string, string> = new Map(
  SWITCHES.flatMap((s) => (s.short ?? []).map((k) => [k, longForm(s)] as [string, string])),
);

/** `no-count` -> `no-counter`, `dnsc-clear` -> `dns-cache-clear`, `dns-ttl` -> `ttl`. */
export const LONG_ALIASES: ReadonlyMap<string, string> = new Map(
  SWITCHES.flatMap((s) =>
    (s.aliases ?? []).map((a) => (s.type === 'negation' ? [`no-${a}`, `no-${s.name}`] : [a, s.name]) as [string, string]),
  ),
);

/** How a switch is written in full: `--clear`, `--no-header`. */
export function longForm(s: Switch): string {
  return s.type === 'negation' ? `--no-${s.name}` : `--${s.name}`;
}

/** `-l/--limit N` as help and error messages show it. */
export function display(s: Switch): string {
  const shorts = (s.short ?? []).map((k) => `-${k}`);
  const longs = [longForm(s), ...(s.aliases ?? []).map((a) => (s.type === 'negation' ? `--no-${a}` : `--${a}`))];
  return [...shorts, ...longs].join(', ') + (s.arg ? ` ${s.arg}` : '');
}
