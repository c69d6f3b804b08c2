// The small commands, for the `ipta` wrapper (`ipta parse`, `ipta load`, ...).
import { command as parse } from './parse.js';
import { command as load } from './load.js';
import { command as report } from './report.js';
import { command as rdns } from './rdns.js';
import { command as format } from './format.js';

export const commands = [parse, load, report, rdns, format];
