import type { AnyCommand } from '../cli/run-command.js';
import { runCommand } from '../cli/run-command.js';
import { RuntimeError } from '../cli/errors.js';

// PLACEHOLDER: replaced by the issue that builds ipta-parse.
export const command: AnyCommand = {
  command: 'parse [files..]',
  describe: 'netfilter log lines -> NDJSON records',
  builder: (y) => y.positional('files', { type: 'string', array: true, describe: 'log files (default: stdin)' }),
  handler: () => { throw new RuntimeError('ipta-parse is not built yet'); },
};

export const main = (): Promise<void> => runCommand(command, 'ipta-parse');
