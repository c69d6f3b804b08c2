import { RuntimeError } from '../cli/errors.js';

/** A file that cannot be read, as one line naming it (`cannot read x.log: no such file`). */
export function fileError(path: string, err: unknown): RuntimeError {
  const e = err as NodeJS.ErrnoException;
  const why =
    e.code === 'ENOENT' ? 'no such file' :
    e.code === 'EACCES' || e.code === 'EPERM' ? 'permission denied' :
    e.code === 'EISDIR' ? 'is a directory' :
    e.message ?? String(err);
  return new RuntimeError(`cannot read ${path}: ${why}`);
}
