// PTR names are data from whoever controls the reverse zone: never trusted. c-ares already hands
// them over in presentation form (`\027` for ESC, `\;` ...), but a name can also come from the
// DNS table, written by anyone with access. So every name is cleaned the same way before it is
// printed or stored: control characters (C0, DEL, C1) and the Unicode controls that reorder or
// break lines on a terminal become `\DDD` escapes (as in zone files), and the length is checked.

/** Longest name kept: a DNS name is at most 253 characters in text form; escapes may widen it. */
export const MAX_NAME_LENGTH = 255;

// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u00ad\u061c\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff\ufff9-\ufffb]/g;
// the same class without /g (a /g regex keeps lastIndex between test() calls)
const UNSAFE_ANY = new RegExp(UNSAFE.source);

/** A printable, length-checked name, or null when nothing usable is left. */
export function cleanName(raw: unknown): string | null {
  if (typeof raw !== 'string') return null;
  let s = raw.endsWith('.') ? raw.slice(0, -1) : raw;
  if (UNSAFE_ANY.test(s)) s = s.replace(UNSAFE, (c) => {
    const code = c.charCodeAt(0);
    return code < 256 ? `\\${String(code).padStart(3, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
  if (s.length === 0 || s.length > MAX_NAME_LENGTH) return null;
  return s;
}
