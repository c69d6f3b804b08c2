// -pi: ask for the database password. On a terminal the characters are not echoed (raw mode,
// read key by key); when stdin is not a terminal the first line of stdin is the password, so
// `printf 'secret\n' | ipta -pi ...` and scripts work.
import { RuntimeError } from '../cli/errors.js';

export async function promptPassword(prompt = 'Database password: ', input: NodeJS.ReadStream = process.stdin): Promise<string> {
  if (input.isTTY && typeof input.setRawMode === 'function') return readNoEcho(prompt, input);
  return readFirstLine(input);
}

function readNoEcho(prompt: string, input: NodeJS.ReadStream): Promise<string> {
  process.stderr.write(prompt);
  return new Promise((resolve, reject) => {
    let pass = '';
    const done = (err?: Error) => {
      input.setRawMode(false);
      input.pause();
      input.removeListener('data', onData);
      process.stderr.write('\n');
      if (err) reject(err);
      else resolve(pass);
    };
    const onData = (chunk: Buffer) => {
      for (const ch of chunk.toString('utf8')) {
        if (ch === '\r' || ch === '\n' || ch === '\u0004') return done();
        if (ch === '\u0003') return done(new RuntimeError('password prompt interrupted', 130));
        if (ch === '\u007f' || ch === '\b') pass = [...pass].slice(0, -1).join('');
        else if (ch === '\u0015') pass = ''; // Ctrl-U: start again
        else if (ch >= ' ') pass += ch;
      }
    };
    input.setRawMode(true);
    input.resume();
    input.on('data', onData);
  });
}

/** The first line of a non-terminal stdin; what follows it is left unread. */
function readFirstLine(input: NodeJS.ReadStream): Promise<string> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    const finish = (rest?: Buffer) => {
      input.removeListener('data', onData);
      input.removeListener('end', onEnd);
      input.removeListener('error', onErr);
      input.pause();
      if (rest && rest.length) input.unshift(rest);
      const line = Buffer.concat(parts).toString('utf8').replace(/\r$/, '');
      resolve(line);
    };
    const onData = (chunk: Buffer) => {
      const nl = chunk.indexOf(10);
      if (nl < 0) {
        parts.push(chunk);
        return;
      }
      parts.push(chunk.subarray(0, nl));
      finish(chunk.subarray(nl + 1));
    };
    const onEnd = () => {
      if (parts.length === 0) reject(new RuntimeError('-pi: no password on stdin (it ended before a line was read)'));
      else finish();
    };
    const onErr = (err: Error) => reject(new RuntimeError(`-pi: cannot read the password: ${err.message}`));
    input.on('data', onData);
    input.once('end', onEnd);
    input.once('error', onErr);
    input.resume();
  });
}
