// Exit codes shared by every command (documented in README and --help):
//   0 success (also: the reader went away, e.g. `| head`)
//   1 runtime error (database unreachable, file unreadable, server gone mid-import...)
//   2 usage error (unknown option, bad value)
export const EXIT_OK = 0;
export const EXIT_RUNTIME = 1;
export const EXIT_USAGE = 2;

/** A problem with how the command was called. Printed as one line, exit 2. */
export class UsageError extends Error {
  readonly exitCode = EXIT_USAGE;
}

/** A problem while running. Printed as one line (plus `hint` lines), exit 1 unless given. */
export class RuntimeError extends Error {
  constructor(message: string, readonly exitCode = EXIT_RUNTIME, readonly hint?: string) {
    super(message);
  }
}

/** True for the error a write to a closed pipe gives: the reader has all it wanted. */
export function isEpipe(err: unknown): boolean {
  const code = (err as { code?: string } | null)?.code;
  return code === 'EPIPE' || code === 'ERR_STREAM_DESTROYED' || code === 'ERR_STREAM_PREMATURE_CLOSE';
}
