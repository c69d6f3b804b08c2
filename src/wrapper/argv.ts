// Pure: the traditional command line -> one a getopt-style parser reads without surprises.
// The manual writes multi-letter short forms with one dash (-lt, -pi, -ai, -ct, -dt, -da, -dp),
// which a getopt parser would split into -l -t; they become their long forms here, as do the
// alternative spellings (--no-count, --no-lo, --dns-ttl, --dnsc-clear). `-x=value` and
// `--opt=value` are kept as one token (yargs splits `--opt=value` itself). After `--` nothing is
// touched.
import { LONG_ALIASES, SHORT_FORMS, SWITCHES, longForm } from './switches.js';

const TAKES_VALUE = new Set(SWITCHES.filter((s) => s.arg && !s.arg.startsWith('[')).map(longForm));

export function normaliseArgv(argv: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') {
      out.push(...argv.slice(i));
      break;
    }
    if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      const name = eq < 0 ? a.slice(2) : a.slice(2, eq);
      const canon = LONG_ALIASES.get(name);
      out.push(canon ? `--${canon}${eq < 0 ? '' : a.slice(eq)}` : a);
      continue;
    }
    if (a.startsWith('-') && a.length > 1) {
      const eq = a.indexOf('=');
      const name = eq < 0 ? a.slice(1) : a.slice(1, eq);
      const long = SHORT_FORMS.get(name);
      if (long) {
        out.push(eq < 0 ? long : `${long}${a.slice(eq)}`);
        continue;
      }
      if (eq < 0 && !/^-\d/.test(a)) {
        // getopt habits: a group of one-letter switches (-cr), or a value glued on (-l20, -dipta)
        const letters = [...name];
        if (letters.every((c) => SHORT_FORMS.has(c))) {
          for (const c of letters) out.push(SHORT_FORMS.get(c)!);
          continue;
        }
        const first = SHORT_FORMS.get(letters[0]);
        if (first && TAKES_VALUE.has(first)) {
          out.push(first, name.slice(1));
          continue;
        }
      }
    }
    out.push(a);
  }
  return out;
}
