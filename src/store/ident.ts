// Identifiers (table names) are the only SQL text ipta builds from user input: each is checked
// against a strict pattern and then quoted. Everything else travels as a parameter.
import { UsageError } from '../cli/errors.js';

export const IDENT_RE = /^[A-Za-z0-9_]{1,64}$/;

/** Throw a UsageError (exit 2) unless `name` is a plain identifier; return it. */
export function checkIdentifier(name: unknown, what = 'table name'): string {
  if (typeof name !== 'string' || !IDENT_RE.test(name)) {
    const shown = JSON.stringify(String(name)).slice(0, 80);
    throw new UsageError(`invalid ${what} ${shown}: use 1-64 letters, digits and underscores`);
  }
  return name;
}

/** `name` validated and back-quoted, ready for SQL. */
export function qid(name: string, what = 'table name'): string {
  return '`' + checkIdentifier(name, what) + '`';
}
