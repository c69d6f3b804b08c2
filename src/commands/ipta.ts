// The `ipta` wrapper. Two front doors in one binary:
//   ipta parse|load|report|rdns|format ...   runs that small command (same module as ipta-X)
//   ipta [switches]                           the traditional IPTA 0.2 command line (src/wrapper/)
import { baseYargs, reportError } from '../cli/run-command.js';
import { setDiagName } from '../cli/diag.js';
import { exitQuietlyOnEpipe } from '../stream/run-pipeline.js';

// The small commands' names (src/commands/index.ts lists their modules). Kept here so the
// traditional command line does not load every command module before it starts.
const SUBCOMMANDS = new Set(['parse', 'load', 'report', 'rdns', 'format']);

export async function main(argv = process.argv.slice(2)): Promise<void> {
  setDiagName('ipta');
  exitQuietlyOnEpipe();
  try {
    if (argv.length > 0 && SUBCOMMANDS.has(argv[0])) {
      const { commands } = await import('./index.js');
      let y = baseYargs(argv, 'ipta');
      for (const c of commands) y = y.command(c);
      await y.demandCommand(1).parseAsync();
      return;
    }
    const { runWrapper } = await import('../wrapper/run.js');
    const { runAction } = await import('../wrapper/actions.js');
    const { wrapperBuilders } = await import('../wrapper/builders.js');
    await runWrapper(argv, { runAction, builders: await wrapperBuilders() });
  } catch (err) {
    reportError('ipta', err);
  }
}
