import { pipeline } from 'node:stream/promises';
import { isEpipe } from '../cli/errors.js';

/**
 * `stream.pipeline` for the command shells: a closed stdout (the reader went away, `| head`)
 * is a normal end, not an error. Stages are streams or `async function*` transforms.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function runPipeline(...stages: any[]): Promise<void> {
  try {
    await (pipeline as (...s: unknown[]) => Promise<void>)(...stages);
  } catch (err) {
    if (isEpipe(err)) return;
    throw err;
  }
}

/** Make a write to a closed stdout end the process quietly with exit 0. */
export function exitQuietlyOnEpipe(stream: NodeJS.WriteStream = process.stdout): void {
  stream.on('error', (err) => {
    if (isEpipe(err)) process.exit(0);
    // A failing source makes pipeline() destroy stdout with the source's error: runPipeline
    // rejects with it and run-command prints it as one line. Throwing here too would turn it
    // into an uncaught exception with a stack trace. (stdout's own write errors carry a syscall.)
    if ((err as NodeJS.ErrnoException).syscall === undefined) return;
    throw err;
  });
}
