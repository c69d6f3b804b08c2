// A lone `-` (stdin, among file arguments: `ipta-parse a.log - b.log`) is dropped by yargs-parser,
// which reads it as an empty short option. It travels through yargs as a token of its own and is
// turned back into `-` before any handler or message sees it.

const TOKEN = '\u0000stdin';

/** The command line with each lone `-` replaced by the token. */
export function protectDash(argv: readonly string[]): string[] {
  return argv.map((a) => (a === '-' ? TOKEN : a));
}

/** yargs middleware: every value that is the token, or an array holding it, gets `-` back. */
export function restoreDash(args: Record<string, unknown>): void {
  for (const k of Object.keys(args)) {
    const v = args[k];
    if (v === TOKEN) args[k] = '-';
    else if (Array.isArray(v) && v.includes(TOKEN)) args[k] = v.map((x) => (x === TOKEN ? '-' : x));
  }
}

/** A yargs message with the token shown as the user typed it. */
export const showDash = (msg: string): string => msg.split(TOKEN).join('-');
