// Diagnostics go to stderr, each line prefixed with the command's name ("ipta-load: ...").
// Data never goes through here.

export interface Diag {
  readonly name: string;
  /** One line on stderr: `name: message`. */
  warn(message: string): void;
  /** Like warn, but only the first `limit` times for one `kind`; the rest are counted. */
  warnLimited(kind: string, message: string, limit?: number): void;
  /** How many warnings of `kind` were not printed. */
  suppressed(kind: string): number;
}

export function createDiag(name: string, stream: NodeJS.WritableStream = process.stderr): Diag {
  const seen = new Map<string, number>();
  return {
    name,
    warn(message) {
      stream.write(`${name}: ${message}\n`);
    },
    warnLimited(kind, message, limit = 5) {
      const n = (seen.get(kind) ?? 0) + 1;
      seen.set(kind, n);
      if (n <= limit) stream.write(`${name}: ${message}\n`);
      else if (n === limit + 1) stream.write(`${name}: (further "${kind}" messages are counted, not shown)\n`);
    },
    suppressed(kind) {
      return Math.max(0, (seen.get(kind) ?? 0) - 5);
    },
  };
}

/** The command name every diagnostic of this process carries; set once by run-command. */
let current: Diag = createDiag('ipta');
export function diag(): Diag {
  return current;
}
export function setDiagName(name: string): Diag {
  current = createDiag(name);
  return current;
}
