// The traditional command line -> WrapperArgs. Normalised first (argv.ts), then read by yargs
// with the switch table's options; anything unknown is a usage error naming it.
import yargs, { type Argv, type MiddlewareFunction } from 'yargs';
import { UsageError } from '../cli/errors.js';
import { protectDash, restoreDash, showDash } from '../cli/stdin-dash.js';
import { normaliseArgv } from './argv.js';
import { SWITCHES } from './switches.js';
import type { WrapperArgs } from './plan.js';

/** Extra option builders (report filters, output formats) added by the parts that own them. */
export type Builder = (y: Argv) => Argv;

const MINE = new Set(SWITCHES.map((s) => s.name));

/**
 * The parts' builders declare defaults (--limit 10, --header true, --ttl 336) that would hide
 * whether a switch was typed, and with it the config file's value. This view of the yargs
 * instance drops the `default` of the wrapper's own switches as the builders declare them.
 */
function withoutDefaultsFor(y: Argv, names: ReadonlySet<string>): Argv {
  const proxy: Argv = new Proxy(y, {
    get(target, prop, receiver) {
      if (prop === 'option' || prop === 'options') {
        return (key: string | Record<string, object>, opt?: Record<string, unknown>) => {
          if (typeof key === 'string') {
            const o = opt && names.has(key) ? Object.fromEntries(Object.entries(opt).filter(([k]) => k !== 'default')) : opt;
            target.option(key, o as never);
          } else {
            for (const [k, o] of Object.entries(key)) target.option(k, (names.has(k) ? Object.fromEntries(Object.entries(o).filter(([n]) => n !== 'default')) : o) as never);
          }
          return proxy;
        };
      }
      const v = Reflect.get(target, prop, receiver);
      return typeof v === 'function' ? (...a: unknown[]) => { const r = v.apply(target, a); return r === target ? proxy : r; } : v;
    },
  });
  return proxy;
}

export function wrapperYargs(argv: string[], extra: Builder[] = []): Argv {
  let y: Argv = yargs(protectDash(normaliseArgv(argv)))
    .middleware(restoreDash as MiddlewareFunction, true)
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
      throw new UsageError(`${unknownSwitches(msg) ?? showDash(msg)}\nTry 'ipta --help' or 'ipta --usage'.`);
    });
  for (const b of extra) y = b(withoutDefaultsFor(y, MINE)) as Argv;
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
