import type { AnyCommand } from '../cli/run-command.js';
import { runCommand } from '../cli/run-command.js';
import { RuntimeError } from '../cli/errors.js';

// PLACEHOLDER: replaced by the issue that builds ipta-rdns.
export const command: AnyCommand = {
  command: 'rdns [files..]',
  describe: 'not built yet',
  builder: (y) => y,
  handler: () => { throw new RuntimeError('ipta-rdns is not built yet'); },
};

export const main = (): Promise<void> => runCommand(command, 'ipta-rdns');
