import yargs, { type Argv, type CommandModule, type MiddlewareFunction } from 'yargs';
import { setDiagName } from './diag.js';
import { EXIT_RUNTIME, EXIT_USAGE, RuntimeError, UsageError, isEpipe } from './errors.js';
import { VERSION } from './version.js';
import { exitQuietlyOnEpipe } from '../stream/run-pipeline.js';
import { protectDash, restoreDash, showDash } from './stdin-dash.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyCommand = CommandModule<any, any>;

export const EXIT_CODES_HELP =
  'Exit status: 0 success (also when the reader of stdout goes away, e.g. "| head"), 1 runtime error, 2 usage error.';

/** yargs settings every ipta command line shares. */
export function baseYargs(argv: string[], name: string): Argv {
  return yargs(protectDash(argv))
    .middleware(restoreDash as MiddlewareFunction, true)
    .scriptName(name)
    .parserConfiguration({ 'duplicate-arguments-array': true, 'strip-aliased': true, 'strip-dashed': false })
    .strict()
    .help('help')
    .version('version', 'print the version and exit', VERSION)
    .epilogue(EXIT_CODES_HELP)
    .wrap(Math.min(100, process.stdout.columns || 100))
    .fail((msg, err) => {
      if (err) throw err;
      throw new UsageError(`${showDash(msg)}\nTry '${name} --help'.`);
    });
}

/** Print an error as `name: message` on stderr and set the exit code (never process.exit). */
export function reportError(name: string, err: unknown): void {
  if (isEpipe(err)) {
    process.exitCode = 0;
    return;
  }
  if (err instanceof UsageError) {
    process.stderr.write(`${name}: ${err.message}\n`);
    process.exitCode = EXIT_USAGE;
    return;
  }
  if (err instanceof RuntimeError) {
    process.stderr.write(`${name}: ${err.message}\n`);
    if (err.hint) process.stderr.write(err.hint.replace(/^/gm, `${name}: `) + '\n');
    process.exitCode = err.exitCode;
    return;
  }
  const e = err as Error;
  process.stderr.write(`${name}: ${e?.message ?? String(err)}\n`);
  if (process.env.IPTA_DEBUG) process.stderr.write(`${e?.stack}\n`);
  process.exitCode = EXIT_RUNTIME;
}

/**
 * Run one command module as a standalone binary (`ipta-parse ...`): the module's command
 * becomes the default command, its positional arguments kept.
 */
export async function runCommand(mod: AnyCommand, name: string, argv = process.argv.slice(2)): Promise<void> {
  setDiagName(name);
  exitQuietlyOnEpipe();
  const command = String(mod.command ?? '$0').replace(/^\S+/, '$0');
  try {
    await baseYargs(argv, name)
      .command({ ...mod, command })
      .parseAsync();
  } catch (err) {
    reportError(name, err);
  }
}
