import type { Argv } from 'yargs';
import type { AnyCommand } from '../cli/run-command.js';
import { runCommand } from '../cli/run-command.js';
import { diag } from '../cli/diag.js';
import { UsageError } from '../cli/errors.js';
import { isEpipe } from '../cli/errors.js';
import { runPipeline } from '../stream/run-pipeline.js';
import { makeZone } from '../parse/time.js';
import { newStats, parseNdjson, type ParseOptions, type ParseStats } from '../parse/index.js';

interface Args {
  files?: string[];
  year?: number;
  tz?: string;
  prefix?: string;
  'accept-word'?: string[];
  'log-word'?: string[];
  follow?: string;
  'from-start'?: boolean;
  quiet?: boolean;
}

export const command: AnyCommand = {
  command: 'parse [files..]',
  describe: 'netfilter log lines (syslog, dmesg, journalctl, pve-firewall) -> NDJSON records, one per packet line',
  builder: (y: Argv) =>
    y
      .usage(
        'Read iptables/nftables/UFW/firewalld/Shorewall/pve-firewall log lines from the files (rotated\n' +
        'siblings oldest first, .gz decompressed) or stdin, and write one JSON record per netfilter line.\n' +
        'Other lines are skipped and counted; a one-line summary goes to stderr at the end. "-" among the\n' +
        'files reads stdin there. Big inputs are parsed on worker threads as well (IPTA_PARSE_THREADS=N\n' +
        'workers, 0 for none); the output is the same.',
      )
      .positional('files', { type: 'string', array: true, describe: 'log files (default: stdin); line numbers run on across files as `cat` would' })
      .option('year', { type: 'number', describe: 'year of the first year-less syslog stamp (default: from the file\'s mtime, now for stdin); Dec->Jan steps still move on' })
      .option('tz', { type: 'string', describe: 'zone of stamps without one: IANA name (Europe/Berlin), UTC, or +01:00 (default: local time, TZ)' })
      .option('prefix', { type: 'string', describe: 'keep only lines whose log prefix contains STR (--prefix IPT: behaves like IPTA 0.2)' })
      .option('accept-word', { type: 'string', array: true, describe: 'a prefix word meaning "accepted" (verdict accept); repeatable' })
      .option('log-word', { type: 'string', array: true, describe: 'a prefix word meaning "only logged" (verdict log); repeatable' })
      .option('follow', { alias: 'f', type: 'string', describe: 'follow FILE like tail -F (rotation, truncation, a file yet to appear); runs until killed' })
      .option('from-start', { type: 'boolean', describe: 'with --follow: read what FILE already holds first' })
      .option('quiet', { alias: 'q', type: 'boolean', describe: 'no summary line on stderr' })
      .check((a) => {
        if (a.year !== undefined && (!Number.isInteger(a.year) || a.year < 1970 || a.year > 9999)) throw new UsageError(`--year: expected a year like 2026, got ${a.year}`);
        if (a.tz !== undefined) {
          try {
            makeZone(String(a.tz));
          } catch {
            throw new UsageError(`--tz: unknown time zone "${a.tz}"`);
          }
        }
        if (a['from-start'] && a.follow === undefined) throw new UsageError('--from-start needs --follow FILE');
        if (a.follow !== undefined && (a.files?.length ?? 0) > 0) throw new UsageError('--follow FILE reads only that file; give no other files');
        for (const k of ['year', 'tz', 'prefix', 'follow'] as const) {
          if (Array.isArray(a[k])) throw new UsageError(`--${k} given more than once`);
        }
        return true;
      })
      .example('$0 /var/log/kern.log* > records.ndjson', 'every rotated file, oldest first')
      .example('journalctl -k -o json | $0 --prefix "[UFW"', 'UFW lines from the journal')
      .example('$0 --follow /var/log/iptables.log | ipta-load', 'live'),
  handler: async (args) => {
    const argv = args as Args;
    const stats = newStats();
    const opts: ParseOptions = {
      files: argv.files ?? [],
      follow: argv.follow,
      fromStart: argv['from-start'],
      year: argv.year,
      tz: argv.tz,
      prefix: argv.prefix,
      acceptWords: argv['accept-word'],
      logWords: argv['log-word'],
      stats,
      onTooLong: (lineNo, path) => diag().warnLimited('too-long', `${path ?? 'stdin'}: line ${lineNo}: too long, skipped`),
    };
    let closed = false;
    process.stdout.on('error', (err) => { if (isEpipe(err)) closed = true; });
    const summary = (): void => {
      if (!argv.quiet && !closed && !process.stdout.destroyed) diag().warn(summaryLine(stats));
    };
    // --follow runs until a signal: still say what was read
    const onSignal = (sig: NodeJS.Signals): void => {
      summary();
      process.exit(sig === 'SIGINT' ? 130 : 143);
    };
    if (argv.follow !== undefined) {
      process.once('SIGINT', onSignal);
      process.once('SIGTERM', onSignal);
    }
    // NDJSON bytes, one Buffer of whole lines per input batch (live input: each as soon as it is read)
    await runPipeline(parseNdjson(opts), process.stdout);
    summary();
  },
};

export function summaryLine(st: ParseStats): string {
  const sk = st.skipped;
  const skipped = sk.blank + sk.not_netfilter + sk.prefix_mismatch + sk.too_long;
  const parts: string[] = [];
  if (sk.not_netfilter) parts.push(`${sk.not_netfilter} not netfilter`);
  if (sk.prefix_mismatch) parts.push(`${sk.prefix_mismatch} other prefix`);
  if (sk.blank) parts.push(`${sk.blank} blank`);
  if (sk.too_long) parts.push(`${sk.too_long} too long`);
  return `${st.lines} lines read, ${st.records} records, ${skipped} skipped${parts.length ? ` (${parts.join(', ')})` : ''}`;
}

export const main = (): Promise<void> => runCommand(command, 'ipta-parse');
