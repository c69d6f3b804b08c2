// Shared by the ipta wrapper's end-to-end tests: a small log whose report is known by hand, a
// temporary HOME, and `ipta` run with it.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run, testEnv, type RunResult } from '../helpers/run-bin.js';

const M = 'MAC=52:54:00:12:34:56:52:54:00:65:43:21:08:00';
const tcp = (spt: number, dpt: number) => `PROTO=TCP SPT=${spt} DPT=${dpt} WINDOW=1024 RES=0x00 SYN URGP=0`;
const ip = (src: string, dst: string) => `SRC=${src} DST=${dst} LEN=60 TOS=0x00 PREC=0x00 TTL=50 ID=54321 DF`;

/**
 * 10 lines, 9 netfilter records: 3 DROP 203.0.113.5 -> 22/tcp, 1 [UFW BLOCK] 203.0.113.5 -> 23,
 * 1 ACCEPT 198.51.100.7 -> 80, 1 DROP on lo (udp 53), 1 INVALID 198.51.100.9, 1 ICMP DROP
 * 203.0.113.6, 1 DROP 203.0.113.7 -> 3389, and one sshd line that is not netfilter.
 */
export const FIXTURE = [
  `Nov 24 10:00:01 fw1 kernel: IPT: DROP IN=eth0 OUT= ${M} ${ip('203.0.113.5', '192.0.2.1')} ${tcp(40001, 22)}`,
  `Nov 24 10:00:02 fw1 kernel: IPT: DROP IN=eth0 OUT= ${M} ${ip('203.0.113.5', '192.0.2.1')} ${tcp(40002, 22)}`,
  `Nov 24 10:00:03 fw1 kernel: IPT: DROP IN=eth0 OUT= ${M} ${ip('203.0.113.5', '192.0.2.1')} ${tcp(40003, 22)}`,
  `Nov 24 10:00:04 fw1 kernel: IPT: ACCEPT IN=eth0 OUT= ${M} ${ip('198.51.100.7', '192.0.2.1')} ${tcp(50000, 80)}`,
  `Nov 24 10:00:05 fw1 kernel: IPT: DROP IN=lo OUT= MAC=00:00:00:00:00:00:00:00:00:00:00:00:08:00 ${ip('127.0.0.1', '127.0.0.1')} PROTO=UDP SPT=5353 DPT=53 LEN=20`,
  `Nov 24 10:00:06 fw1 kernel: IPT: INVALID IN=eth0 OUT= ${M} ${ip('198.51.100.9', '192.0.2.1')} PROTO=TCP SPT=80 DPT=33000 WINDOW=0 RES=0x00 ACK RST URGP=0`,
  `Nov 24 10:00:07 fw1 kernel: IPT: DROP IN=eth0 OUT= ${M} SRC=203.0.113.6 DST=192.0.2.1 LEN=84 TOS=0x00 PREC=0x00 TTL=60 ID=1 PROTO=ICMP TYPE=8 CODE=0 ID=7 SEQ=1`,
  'Nov 24 10:00:08 fw1 sshd[812]: Accepted publickey for admin from 192.0.2.50 port 50522 ssh2',
  `Nov 24 10:00:09 fw1 kernel: [UFW BLOCK] IN=eth0 OUT= ${M} ${ip('203.0.113.5', '192.0.2.1')} ${tcp(40004, 23)}`,
  `Nov 24 10:00:10 fw1 kernel: IPT: DROP IN=eth0 OUT= ${M} ${ip('203.0.113.7', '192.0.2.1')} ${tcp(40005, 3389)}`,
].join('\n') + '\n';

export interface Sandbox {
  dir: string;
  home: string;
  /** write a file in the sandbox, return its path */
  file(name: string, text: string, mode?: number): string;
  ipta(args: string[], opts?: { input?: string; env?: Record<string, string | undefined>; timeoutMs?: number }): Promise<RunResult>;
  remove(): void;
}

export function sandbox(): Sandbox {
  const dir = mkdtempSync(join(tmpdir(), 'ipta-e2e-'));
  const home = join(dir, 'home');
  mkdirSync(home);
  return {
    dir,
    home,
    file(name, text, mode) {
      const p = join(dir, name);
      writeFileSync(p, text, mode === undefined ? undefined : { mode });
      return p;
    },
    ipta(args, opts = {}) {
      // a pinned world: no config or password from the machine running the tests
      const env = testEnv({ HOME: home, IPTA_CONFIG: undefined, IPTA_DB_PASS: undefined, MYSQL_PWD: undefined,
        IPTA_DB_HOST: undefined, IPTA_DB_NAME: undefined, IPTA_DB_USER: undefined, IPTA_DB_PORT: undefined, ...opts.env });
      for (const k of Object.keys(env)) if (env[k] === undefined) delete env[k];
      return run('ipta', args, opts.input, { env, timeoutMs: opts.timeoutMs ?? 30_000 });
    },
    remove() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The data rows of a text table (lines after the dashed rule, up to a blank line). */
export function tableRows(text: string, title: string): string[] {
  const lines = text.split('\n');
  const t = lines.findIndex((l) => l.startsWith(title));
  if (t < 0) return [];
  const rule = lines.findIndex((l, i) => i > t && /^-+( -+)*$/.test(l));
  const out: string[] = [];
  for (let i = rule + 1; i < lines.length && lines[i].trim() !== ''; i++) out.push(lines[i]);
  return out;
}
