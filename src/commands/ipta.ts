import { baseYargs, reportError } from '../cli/run-command.js';
import { setDiagName } from '../cli/diag.js';
import { exitQuietlyOnEpipe } from '../stream/run-pipeline.js';
import { commands } from './index.js';

// PLACEHOLDER wrapper: `ipta X` runs the small command X. The traditional flags come with issue 7.
export async function main(argv = process.argv.slice(2)): Promise<void> {
  setDiagName('ipta');
  exitQuietlyOnEpipe();
  try {
    let y = baseYargs(argv, 'ipta');
    for (const c of commands) y = y.command(c);
    await y.demandCommand(1).parseAsync();
  } catch (err) {
    reportError('ipta', err);
  }
}
