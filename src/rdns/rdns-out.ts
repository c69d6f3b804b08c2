// Records with names -> NDJSON chunks, without serialising each record again: when a record
// still carries the text of its input line (ndjsonLines' rawKey) and that text had no name
// fields of its own, the names are spliced in before its closing brace and everything else
// goes out byte for byte as it came in. JSON.stringify is the fallback (report rows built in
// memory, records from the wrapper, lines that already carried a name).

const CHUNK = 64 * 1024;

/** The symbol ipta-rdns asks ndjsonLines to keep each line's text under. */
export const RAW = Symbol('ipta-rdns raw line');

/** True when a line can be spliced: one JSON object, ending in `}`, with no `_name` key yet. */
export function spliceable(raw: string): boolean {
  return raw.charCodeAt(raw.length - 1) === 125 /* } */ && raw.indexOf('_name"') === -1;
}

/** One record as one NDJSON line (without the newline). */
export function recordLine(rec: Record<string | symbol, unknown>, keys: readonly string[]): string {
  const raw = rec[RAW];
  if (typeof raw !== 'string' || !spliceable(raw)) return JSON.stringify(rec);
  let add = '';
  for (const k of keys) {
    const n = rec[k];
    if (typeof n === 'string') add += `,"${k}":${JSON.stringify(n)}`;
  }
  return add ? raw.slice(0, -1) + add + '}' : raw;
}

/**
 * An `async function*` stage: arrays of records in, NDJSON text out, one write per array (an
 * array is what one input chunk gave, or what became ready together), so a live input is never
 * held back waiting for a chunk to fill.
 */
export function rdnsBatchOut(keys: readonly string[]) {
  return async function* (source: AsyncIterable<Array<Record<string, unknown>>>): AsyncGenerator<string> {
    for await (const batch of source) {
      let buf = '';
      for (const rec of batch) buf += recordLine(rec, keys) + '\n';
      yield buf;
    }
  };
}

/** An `async function*` stage: records in, NDJSON chunks of about 64 KiB out. */
export function rdnsOut(keys: readonly string[]) {
  return async function* (source: AsyncIterable<Record<string, unknown>>): AsyncGenerator<string> {
    let buf = '';
    for await (const rec of source) {
      buf += recordLine(rec, keys) + '\n';
      if (buf.length >= CHUNK) {
        yield buf;
        buf = '';
      }
    }
    if (buf) yield buf;
  };
}
