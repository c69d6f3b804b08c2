import type { AnyCommand } from '../cli/run-command.js';
import { runCommand } from '../cli/run-command.js';
import { RuntimeError } from '../cli/errors.js';

// PLACEHOLDER: replaced by the issue that builds ipta-report.
export const command: AnyCommand = {
  command: 'report [files..]',
  describe: 'not built yet',
  builder: (y) => y,
  handler: () => { throw new RuntimeError('ipta-report is not built yet'); },
};

export const main = (): Promise<void> => runCommand(command, 'ipta-report');
