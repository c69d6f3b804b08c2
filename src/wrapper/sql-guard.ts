// Pure: is this SQL a single read-only statement? The -ai prompt accepts SELECT, SHOW, DESCRIBE
// (DESC) and EXPLAIN only. This is the first of two locks: the statement also runs inside a
// READ ONLY transaction, so a write that slips past the words (a function with side effects,
// SELECT ... INTO OUTFILE) is refused by the server as well.

const ALLOWED = new Set(['select', 'show', 'describe', 'desc', 'explain', 'with']); // WITH: a SELECT with CTEs
const FORBIDDEN = /\b(into\s+(outfile|dumpfile)|for\s+update|lock\s+in\s+share\s+mode)\b/i;

/** Remove comments and string/identifier literals, keeping their length irrelevant. */
function stripLiterals(sql: string): string {
  return sql
    .replace(/'(?:[^'\\]|\\.|'')*'|"(?:[^"\\]|\\.|"")*"|`(?:[^`]|``)*`/g, "''")
    .replace(/\/\*[\s\S]*?\*\//g, ' ')
    .replace(/(--\s|#)[^\n]*/g, ' ');
}

export type GuardResult = { ok: true; sql: string } | { ok: false; reason: string };

export function checkReadOnly(input: string): GuardResult {
  const sql = input.trim().replace(/;\s*$/, '').trim();
  if (!sql) return { ok: false, reason: 'empty statement' };
  const bare = stripLiterals(sql);
  if (bare.includes(';')) return { ok: false, reason: 'one statement at a time' };
  if (/\/\*!/.test(sql)) return { ok: false, reason: 'executable comments (/*! ... */) are not accepted' };
  const first = /^\s*\(?\s*([a-z]+)/i.exec(bare)?.[1]?.toLowerCase() ?? '';
  if (!ALLOWED.has(first)) return { ok: false, reason: `read-only prompt: ${first ? first.toUpperCase() : 'this'} is not allowed (SELECT, SHOW, DESCRIBE and EXPLAIN are)` };
  if (FORBIDDEN.test(bare)) return { ok: false, reason: 'read-only prompt: writing files or taking locks is not allowed' };
  return { ok: true, sql };
}
