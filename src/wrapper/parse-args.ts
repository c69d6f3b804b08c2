// The traditional command line -> WrapperArgs. Normalised first (argv.ts), then read by yargs
// with the switch table's options; anything unknown is a usage error naming it.
import yargs, { type Argv } from 'yargs';
import { UsageError } from '../cli/errors.js';
import { normaliseArgv } from './argv.js';
import { SWITCHES } from './switches.js';
import type { WrapperArgs } from './plan.js';

/** Extra option builders (report filters, output formats) added by the parts that own them. */
export type Builder = (y: Argv) => Argv;

export function wrapperYargs(argv: string[], extra: Builder[] = []): Argv {
  let y: Argv = yargs(normaliseArgv(argv))
    .scriptName('ipta')
    .parserConfiguration({
      'duplicate-arguments-array': true, // -i a -i b imports both; single values: see below
      'strip-aliased': true,
      'strip-dashed': false,
      'camel-case-expansion': false,
      'short-option-groups': false,
    })
    .help(false)
    .version(false)
    .strictOptions()
    .fail((msg, err) => {
      if (err) throw err;
      throw new UsageError(`${unknownSwitches(msg) ?? msg}\nTry 'ipta --help' or 'ipta --usage'.`);
    });
  for (const b of extra) y = b(y);
  // The table comes last: where a part defines the same option, the wrapper's meaning wins.
  for (const s of SWITCHES) {
    const type = s.type === 'negation' ? 'boolean' : s.type === 'array' ? 'string' : s.type;
    y = y.option(s.name, { type, ...(s.type === 'array' ? { array: true } : {}), describe: s.describe });
  }
  return y;
}

export async function parseWrapperArgs(argv: string[], extra: Builder[] = []): Promise<WrapperArgs> {
  const args = (await wrapperYargs(argv, extra).parseAsync()) as Record<string, unknown>;
  // A repeated single-value switch: the last one wins, as with getopt (-h a -h b is b).
  for (const s of SWITCHES) {
    const v = args[s.name];
    if (s.type !== 'array' && Array.isArray(v)) args[s.name] = v[v.length - 1];
  }
  return args as WrapperArgs;
}

/** yargs says "Unknown arguments: x, bogus"; a user typed -x and --bogus. */
function unknownSwitches(msg: string): string | undefined {
  const m = /^Unknown arguments?: (.*)$/.exec(msg);
  if (!m) return undefined;
  const names = m[1].split(', ').map((n) => (n.length === 1 ? `-${n}` : `--${n}`));
  return `unknown switch${names.length > 1 ? 'es' : ''} ${names.join(', ')}`;
}
