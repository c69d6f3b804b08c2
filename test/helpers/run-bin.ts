// Run the real bin/ commands as child processes with pipes.
import { spawn, type SpawnOptions } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The project root (dist/test/helpers -> ../../..). */
export const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
export const bin = (name: string): string => `${ROOT}bin/${name}.js`;
export const example = (name: string): string => `${ROOT}examples/${name}`;

export interface RunResult { code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }

/** Pinned world for the tests: UTC, no colour, an empty HOME unless given. */
export function testEnv(extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  return { ...process.env, TZ: 'UTC', NO_COLOR: '1', LC_ALL: 'C', ...extra };
}

/** Run `node bin/<name>.js args...`, feed `input` on stdin, collect everything. */
export function run(name: string, args: string[] = [], input?: string | Buffer, opts: SpawnOptions & { timeoutMs?: number } = {}): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin(name), ...args], { env: testEnv(), ...opts, stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout!.on('data', (b: Buffer) => out.push(b));
    child.stderr!.on('data', (b: Buffer) => err.push(b));
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 60_000);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') });
    });
    child.stdin!.on('error', () => { /* the child may exit before reading everything */ });
    if (input !== undefined) child.stdin!.end(input);
    else child.stdin!.end();
  });
}

/** Parse NDJSON output into objects (throws on a bad line: test output must be clean). */
export function records<T = Record<string, unknown>>(stdout: string): T[] {
  return stdout.split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l) as T);
}
