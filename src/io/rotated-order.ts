// Rotated siblings oldest first, whatever order the shell gives them:
//   iptables.log.3.gz iptables.log.2.gz iptables.log.1 iptables.log        (logrotate, numbered)
//   iptables.log-20261122.gz iptables.log-20261123 iptables.log            (logrotate dateext)
// so that timestamps, and the year inference that depends on them, run forward. Files that are
// not siblings of one another keep their place; a group of siblings fills the places its members
// held, in age order.

import { readdirSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';

interface Ranked {
  path: string;
  base: string;
  /** larger = newer; the live file (no rotation suffix) is the newest */
  age: number;
  /** tie-breaker: numbered before dated, same number: plain before .gz */
  tie: number;
}

const NUMBERED = /^(.*)\.(\d{1,6})(\.(?:gz|xz|bz2|zst))?$/;
const DATED = /^(.*)-(\d{8}(?:\d{2})?)(\.(?:gz|xz|bz2|zst))?$/;

function rank(path: string): Ranked {
  // siblings are recognised whatever way the path is written (./x.log, x.log.1, /abs/x.log.2.gz)
  let m = NUMBERED.exec(path);
  if (m && m[1]) return { path, base: resolve(m[1]), age: -Number(m[2]), tie: m[3] ? 1 : 0 };
  m = DATED.exec(path);
  // dates as YYYYMMDD[HH]: make them comparable with each other, all older than numbered ones
  if (m && m[1]) return { path, base: resolve(m[1]), age: -1e12 + Number(m[2]!.padEnd(10, '0')), tie: m[3] ? 1 : 0 };
  // the live file: newer than any rotated one, .0 included (newsyslog's newest)
  return { path, base: resolve(path), age: 1, tie: 0 };
}

/** The order in which `paths` are read: each group of rotated siblings oldest first. */
export function rotatedOrder(paths: readonly string[]): string[] {
  const ranked = paths.map(rank);
  const bases = new Map<string, number[]>();
  ranked.forEach((r, i) => {
    const slots = bases.get(r.base);
    if (slots) slots.push(i);
    else bases.set(r.base, [i]);
  });
  const out = paths.slice();
  for (const slots of bases.values()) {
    if (slots.length < 2) continue;
    const members = slots.map((i) => ranked[i]!).sort((a, b) => a.age - b.age || a.tie - b.tie);
    slots.forEach((slot, k) => { out[slot] = members[k]!.path; });
  }
  return out;
}

/**
 * The rotated siblings of the live file `path` found beside it (`path.1`, `path.2.gz`,
 * `path-20261122.gz`...), oldest first; [] when none or the folder cannot be read.
 */
export function rotatedSiblings(path: string): string[] {
  const dir = dirname(path);
  const name = basename(path);
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    return [];
  }
  const base = resolve(path);
  const found = entries
    .filter((e) => e !== name && e.startsWith(name))
    .map((e) => join(dir, e))
    .filter((p) => { const r = rank(p); return r.base === base && r.age < 1; });
  return found.sort((a, b) => { const ra = rank(a), rb = rank(b); return ra.age - rb.age || ra.tie - rb.tie; });
}
