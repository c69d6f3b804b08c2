// The core of ipta-rdns: records in, the same records with `<field>_name` added, in the same
// order. No I/O of its own: the PTR lookup and the persistent cache are handed in.
//
// - One lookup per address for the whole run: every address gets one Entry (keyed by its text
//   as it appears and by its canonical form); records that need an Entry still being resolved
//   wait on it.
// - Order: records wait in a FIFO queue; a record leaves when its own lookups are done and every
//   record before it has left. Lookups start in the same FIFO order, so the record at the head
//   never waits behind later ones: it waits at most one lookup timeout (plus one cache read).
// - Bounded: at most `concurrency` lookups in flight and `maxQueue` records waiting; when the
//   queue is full no more input is read (backpressure up the pipe).
// - Persistent cache: new addresses are read from it in batches before DNS is asked; definitive
//   answers (a name, or NXDOMAIN / no PTR record) are written back in batches. Failures (timeout,
//   SERVFAIL, garbage) are remembered for this run only, so a dead server costs one timeout per
//   address, not one per record.
import { canonicalAddress } from './address.js';
import { cleanName } from './clean-name.js';
import type { LookupResult, PtrLookup } from './lookup.js';
import type { PersistentCache } from './mysql-cache.js';

export interface RdnsStats {
  /** records that came through */
  records: number;
  /** distinct addresses seen (canonical) */
  addresses: number;
  /** field values that are not IP addresses (passed through, no name) */
  unparseable: number;
  /** answers taken from the persistent cache */
  cacheHits: number;
  /** fresh entries read from the DNS table in one go (a big run, a table of at most 1M rows) */
  preloaded: number;
  /** DNS lookups made */
  lookups: number;
  /** lookups that returned a name / a definitive "no name" */
  names: number;
  negative: number;
  /** failed lookups by error code (ETIMEOUT, ESERVFAIL, EBADRESP, ...) */
  failed: Record<string, number>;
  /** entries written to the persistent cache */
  written: number;
}

export function newStats(): RdnsStats {
  return { records: 0, addresses: 0, unparseable: 0, cacheHits: 0, preloaded: 0, lookups: 0, names: 0, negative: 0, failed: {}, written: 0 };
}

export interface RdnsEngineOptions {
  /** record fields holding addresses; each gets `<field>_name` (default src, dst) */
  fields?: readonly string[];
  lookup: PtrLookup;
  /** lookups in flight at most (default 32) */
  concurrency?: number;
  cache?: PersistentCache | null;
  /** records waiting for names at most before input is paused (default 10,000) */
  maxQueue?: number;
  /** addresses per cache read / entries per cache write (default 1000) */
  batchSize?: number;
  /** read the whole DNS table once this many addresses were asked of it (default 2000; 0: never) */
  preloadAfter?: number;
  /** a partial write batch waits at most this long (default 1000 ms) */
  writeDelayMs?: number;
  stats?: RdnsStats;
  /** the persistent cache failed: it is not used for the rest of the run */
  onCacheError?: (err: unknown) => void;
  /** called once when the stream ends or is abandoned (cancel lookups in flight) */
  onClose?: () => void;
}

type Rec = Record<string, unknown>;
interface Slot { rec: Rec; pending: number }
interface Entry {
  canon: string;
  done: boolean;
  name: string | null;
  /** pairs: slot, name key */
  waiters: Array<Slot | string>;
  /** from the whole-table read and not yet used by this run (counted when first used) */
  pre?: boolean;
}

/** A big run reads the whole DNS table in one query when it holds at most this many rows. */
export const PRELOAD_MAX_ROWS = 1_000_000;
export const DEFAULT_PRELOAD_AFTER = 2000;

/** Other spellings and non-addresses remembered, at most (each address's own entry always is). */
const MAX_ALIASES = 2_000_000;

const UNPARSEABLE: Entry = { canon: '', done: true, name: null, waiters: [] };

/**
 * Add names to records arriving in batches (one per chunk read); yields batches of records in
 * input order. See the file comment for the guarantees.
 */
export async function* rdnsBatchEngine(batches: AsyncIterable<Rec[]>, opts: RdnsEngineOptions): AsyncGenerator<Rec[]> {
  const fields = [...(opts.fields ?? ['src', 'dst'])];
  const keys = fields.map((f) => `${f}_name`);
  const nf = fields.length;
  const concurrency = Math.max(1, opts.concurrency ?? 32);
  const maxQueue = Math.max(1, opts.maxQueue ?? 10_000);
  const batchSize = Math.max(1, opts.batchSize ?? 1000);
  const writeDelayMs = opts.writeDelayMs ?? 1000;
  const stats = opts.stats ?? newStats();
  let cache = opts.cache ?? null;

  // by canonical address, and also by any other spelling met in the input
  const entries = new Map<string, Entry>();

  // --- wake-up: the generator sleeps until some lookup completes --------------------------------
  let wakeUp: (() => void) | null = null;
  const wake = (): void => {
    const w = wakeUp;
    wakeUp = null;
    w?.();
  };
  const sleep = (): Promise<undefined> => new Promise((r) => { wakeUp = () => r(undefined); });

  const complete = (e: Entry, name: string | null): void => {
    e.done = true;
    e.name = name;
    const w = e.waiters;
    e.waiters = [];
    for (let i = 0; i < w.length; i += 2) {
      const slot = w[i] as Slot;
      if (name !== null) slot.rec[w[i + 1] as string] = name;
      slot.pending--;
    }
    wake();
  };

  // --- DNS: FIFO, bounded ------------------------------------------------------------------------
  const dnsQueue: Entry[] = [];
  let dnsHead = 0;
  let inFlight = 0;
  let closed = false;
  const pumpDns = (): void => {
    while (inFlight < concurrency && dnsHead < dnsQueue.length && !closed) {
      const e = dnsQueue[dnsHead]!;
      dnsQueue[dnsHead++] = UNPARSEABLE;
      if (dnsHead > 4096 && dnsHead * 2 > dnsQueue.length) {
        dnsQueue.splice(0, dnsHead);
        dnsHead = 0;
      }
      inFlight++;
      stats.lookups++;
      opts.lookup(e.canon).then(
        (res) => answered(e, res),
        (err: { code?: string }) => answered(e, { kind: 'fail', code: err?.code ?? 'EUNKNOWN' }),
      );
    }
  };
  const answered = (e: Entry, res: LookupResult): void => {
    inFlight--;
    if (res.kind === 'fail') {
      stats.failed[res.code] = (stats.failed[res.code] ?? 0) + 1;
      complete(e, null);
    } else {
      const name = res.kind === 'name' ? res.name : null;
      if (name === null) stats.negative++;
      else stats.names++;
      complete(e, name);
      if (cache && !closed) queueWrite(e.canon, name);
    }
    pumpDns();
  };

  // --- persistent cache: batched reads; a whole-table read for big runs; batched writes ---------
  // A run that has asked the table for `preloadAfter` addresses is a big one: the whole table
  // (fresh entries, if it holds at most PRELOAD_MAX_ROWS) is then read in one query, an order of
  // magnitude cheaper than the same rows by batches of addresses. Small runs never pay for it.
  let readQueue: Entry[] = [];
  let reading = false;
  let readScheduled = false;
  let asked = 0;
  let preload: 'no' | 'running' | 'done' = opts.preloadAfter === 0 ? 'done' : 'no';
  /** the whole table was read: an address not in it has no fresh entry */
  let warmComplete = false;
  const cacheFailed = (err: unknown): void => {
    if (!cache) return;
    cache = null;
    opts.onCacheError?.(err);
  };
  const readBatch = (): void => {
    readScheduled = false;
    if (reading || preload === 'running' || readQueue.length === 0) return;
    if (!cache || closed) {
      for (const e of readQueue) dnsQueue.push(e);
      readQueue = [];
      pumpDns();
      return;
    }
    const batch = readQueue.length > batchSize ? readQueue.splice(0, batchSize) : readQueue;
    if (batch === readQueue) readQueue = [];
    reading = true;
    cache.read(batch.map((e) => e.canon)).then(
      (found) => {
        for (const e of batch) {
          const hit = found.get(e.canon);
          const name = hit === null || hit === undefined ? null : cleanName(hit);
          if (hit === null || name !== null) {
            stats.cacheHits++;
            complete(e, name);
          } else dnsQueue.push(e);
        }
      },
      (err) => {
        cacheFailed(err);
        for (const e of batch) dnsQueue.push(e);
      },
    ).finally(() => {
      reading = false;
      pumpDns();
      if (readQueue.length) readBatch();
    });
  };
  const startPreload = (): void => {
    preload = 'running';
    // answers for addresses already waiting in readQueue (their entries exist, pending)
    const late = new Map<string, string | null>();
    cache!.preload!(PRELOAD_MAX_ROWS).then(
      (p) => {
        if (!p) return;
        for (const [addr, raw] of p.entries) {
          const name = raw === null ? null : cleanName(raw);
          if (raw !== null && name === null) continue; // unusable: asked again
          const have = entries.get(addr);
          if (have) {
            if (!have.done) late.set(addr, name);
          } else entries.set(addr, { canon: addr, done: true, name, waiters: [], pre: true });
        }
        stats.preloaded = p.entries.length;
        warmComplete = p.complete;
      },
      (err) => cacheFailed(err),
    ).finally(() => {
      preload = 'done';
      const waiting = readQueue;
      readQueue = [];
      for (const e of waiting) {
        const name = late.get(e.canon);
        if (name !== undefined) {
          stats.cacheHits++;
          complete(e, name);
        } else if (!cache || warmComplete) dnsQueue.push(e);
        else readQueue.push(e);
      }
      pumpDns();
      readBatch();
    });
  };
  const resolve = (e: Entry): void => {
    if (!cache || warmComplete) {
      dnsQueue.push(e);
      pumpDns();
      return;
    }
    readQueue.push(e);
    asked++;
    if (preload === 'no' && cache.preload && asked >= (opts.preloadAfter ?? DEFAULT_PRELOAD_AFTER)) startPreload();
    if (preload === 'running') return; // the queue is read when the whole table is in
    if (readQueue.length >= batchSize) readBatch();
    else if (!readScheduled) {
      readScheduled = true;
      setImmediate(readBatch);
    }
  };

  let writeBuf: Array<[string, string | null]> = [];
  let writeTimer: NodeJS.Timeout | null = null;
  let writing: Promise<void> = Promise.resolve();
  const flushWrites = (): void => {
    if (writeTimer) clearTimeout(writeTimer);
    writeTimer = null;
    if (writeBuf.length === 0) return;
    const batch = writeBuf;
    writeBuf = [];
    writing = writing.then(async () => {
      if (!cache) return;
      try {
        await cache.write(batch);
        stats.written += batch.length;
      } catch (err) {
        cacheFailed(err);
      }
    });
  };
  const queueWrite = (canon: string, name: string | null): void => {
    writeBuf.push([canon, name]);
    if (writeBuf.length >= batchSize) flushWrites();
    else writeTimer ??= setTimeout(flushWrites, writeDelayMs);
  };

  // --- per record ---------------------------------------------------------------------------------
  /** The entry for a spelling not met before: its address's entry, or a new one, or UNPARSEABLE. */
  const entryFor = (text: string): Entry => {
    const canon = canonicalAddress(text);
    if (canon === null) {
      if (entries.size < MAX_ALIASES) entries.set(text, UNPARSEABLE);
      return UNPARSEABLE;
    }
    let e = canon === text ? undefined : entries.get(canon);
    if (!e) {
      e = { canon, done: false, name: null, waiters: [] };
      entries.set(canon, e);
      stats.addresses++;
      resolve(e);
    }
    if (canon !== text && entries.size < MAX_ALIASES) entries.set(text, e);
    return e;
  };

  /** Names the record can have now; the slot when it still waits, else null. */
  const enrich = (rec: Rec): Slot | null => {
    let slot: Slot | null = null;
    for (let i = 0; i < nf; i++) {
      const v = rec[fields[i]!];
      if (typeof v !== 'string') continue;
      const e = entries.get(v) ?? entryFor(v);
      if (e === UNPARSEABLE) {
        stats.unparseable++;
        continue;
      }
      if (e.done) {
        if (e.pre) {
          e.pre = false;
          stats.addresses++;
          stats.cacheHits++;
        }
        if (e.name !== null) rec[keys[i]!] = e.name;
        continue;
      }
      slot ??= { rec, pending: 0 };
      slot.pending++;
      e.waiters.push(slot, keys[i]!);
    }
    return slot;
  };

  // --- the ordered queue ----------------------------------------------------------------------------
  const queue: Slot[] = [];
  let head = 0;
  const it = batches[Symbol.asyncIterator]();
  let next: Promise<IteratorResult<Rec[]>> | null = null;
  let inputDone = false;
  try {
    for (;;) {
      if (head < queue.length && queue[head]!.pending === 0) {
        const ready: Rec[] = [];
        while (head < queue.length && queue[head]!.pending === 0) ready.push(queue[head++]!.rec);
        if (head > 1024 && head * 2 > queue.length) {
          queue.splice(0, head);
          head = 0;
        }
        yield ready;
      }
      const waiting = queue.length - head;
      if (inputDone || waiting >= maxQueue) {
        if (waiting === 0) break;
        await sleep();
        continue;
      }
      next ??= it.next();
      const res = waiting === 0 ? await next : await Promise.race([next, sleep()]);
      if (res === undefined) continue; // a lookup finished: emit what is ready
      next = null;
      if (res.done) {
        inputDone = true;
        continue;
      }
      // the fast path: while nothing waits, records whose names are all known go straight out
      const ready: Rec[] = [];
      for (const rec of res.value) {
        stats.records++;
        const slot = enrich(rec);
        if (slot === null && queue.length === head) ready.push(rec);
        else queue.push(slot ?? { rec, pending: 0 });
      }
      if (ready.length) yield ready;
    }
  } finally {
    closed = true;
    opts.onClose?.();
    // answers already in hand are worth keeping, also when the reader went away early
    flushWrites();
    await writing;
    if (!inputDone) void Promise.resolve(it.return?.()).catch(() => { /* the input is abandoned */ });
  }
}

/** Record by record: the same engine, for callers that have single records (the wrapper). */
export async function* rdnsEngine(items: AsyncIterable<Rec>, opts: RdnsEngineOptions): AsyncGenerator<Rec> {
  async function* singles(): AsyncGenerator<Rec[]> {
    for await (const r of items) yield [r];
  }
  for await (const batch of rdnsBatchEngine(singles(), opts)) yield* batch;
}
