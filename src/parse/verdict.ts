// The action/verdict table: which word of a log prefix says what happened to the packet.
// Documented in README ("action and verdict"); --accept-word / --log-word extend it.
import type { Verdict } from '../record.js';

/** Prefix words (upper-cased) -> the action they stand for and its verdict. */
const BUILTIN: ReadonlyArray<[words: string[], action: string, verdict: Verdict]> = [
  [['ACCEPT', 'ACCEPTED', 'ACC'], 'ACCEPT', 'accept'],
  [['ALLOW', 'ALLOWED'], 'ALLOW', 'accept'],
  [['PASS', 'PASSED'], 'PASS', 'accept'],
  [['PERMIT', 'PERMITTED'], 'PERMIT', 'accept'],
  [['DROP', 'DROPPED'], 'DROP', 'deny'],
  [['REJECT', 'REJECTED'], 'REJECT', 'deny'],
  [['DENY', 'DENIED'], 'DENY', 'deny'],
  [['BLOCK', 'BLOCKED'], 'BLOCK', 'deny'],
  [['INVALID'], 'INVALID', 'deny'],
  [['AUDIT'], 'AUDIT', 'log'],
  [['TRACE'], 'TRACE', 'log'],
  [['LOG', 'LOGGED'], 'LOG', 'log'],
];

/** Ubiquiti EdgeOS / UniFi rule tags end in the rule's action letter: `[wan-lan-default-D]`, `[WAN_LOCAL-A-2147483647]`. */
const UBNT_LETTER: Record<string, string> = { A: 'ACCEPT', D: 'DROP', R: 'REJECT' };

export interface VerdictTableOptions {
  acceptWords?: string[];
  logWords?: string[];
}

export interface ActionVerdict {
  action?: string;
  verdict: Verdict;
}

/** The table, built once per run. */
export class VerdictTable {
  private readonly words = new Map<string, { action: string; verdict: Verdict }>();
  private readonly cache = new Map<string, ActionVerdict>();

  constructor(opts: VerdictTableOptions = {}) {
    for (const [words, action, verdict] of BUILTIN) for (const w of words) this.words.set(w, { action, verdict });
    for (const w of opts.acceptWords ?? []) this.words.set(w.toUpperCase(), { action: w.toUpperCase(), verdict: 'accept' });
    for (const w of opts.logWords ?? []) this.words.set(w.toUpperCase(), { action: w.toUpperCase(), verdict: 'log' });
  }

  /** The verdict of an action word (or words: `LIMIT BLOCK`). Anything not accept or log is deny. */
  verdictOf(action: string): Verdict {
    const up = action.toUpperCase();
    const hit = this.words.get(up);
    if (hit) return hit.verdict;
    // multi-word actions: any accept/log word decides; otherwise deny
    if (up.indexOf(' ') !== -1) {
      let v: Verdict = 'deny';
      for (const w of up.split(' ')) {
        const h = this.words.get(w);
        if (h?.verdict === 'deny') return 'deny';
        if (h) v = h.verdict;
      }
      return v;
    }
    return 'deny';
  }

  /** Action and verdict for a prefix (already trimmed; '' when the line has none). Cached per distinct prefix. */
  classify(prefix: string): ActionVerdict {
    let hit = this.cache.get(prefix);
    if (hit === undefined) {
      hit = this.compute(prefix);
      if (this.cache.size > 10_000) this.cache.clear();
      this.cache.set(prefix, hit);
    }
    return hit;
  }

  private compute(prefix: string): ActionVerdict {
    if (prefix === '') return { verdict: 'deny' };
    // the original IPTA convention: `IPT: <ACTION> `
    let m = /^IPT:\s*([^\s:]+)/.exec(prefix);
    if (m) return { action: m[1], verdict: this.verdictOf(m[1]) };
    // UFW: `[UFW BLOCK]`, `[UFW LIMIT BLOCK]`
    m = /^\[UFW ([^\]]+)\]/.exec(prefix);
    if (m) return { action: m[1], verdict: this.verdictOf(m[1]) };
    m = /-([ADR])(?:-\d+)?\]$/.exec(prefix);
    if (m && prefix.charCodeAt(0) === 91) {
      const action = UBNT_LETTER[m[1]];
      return { action, verdict: this.verdictOf(action) };
    }
    // the first accept/deny word wins (`LOG_DROP` is a drop); log words only when nothing else
    let logHit: { action: string; verdict: Verdict } | undefined;
    for (const w of prefix.split(/[^A-Za-z0-9]+/)) {
      if (w === '') continue;
      const h = this.words.get(w.toUpperCase());
      if (!h) continue;
      if (h.verdict !== 'log') return { action: h.action, verdict: h.verdict };
      logHit ??= h;
    }
    if (logHit) return { action: logHit.action, verdict: logHit.verdict };
    const action = prefix.replace(/:$/, '').trim();
    return { action: action || prefix, verdict: 'deny' };
  }
}
