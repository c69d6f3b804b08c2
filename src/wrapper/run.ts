// The traditional command line, run: parse the switches, read the config, plan the actions in
// the manual's order, then run them one after the other on one shared database connection.
import type { Connection } from 'mysql2/promise';
import { diag } from '../cli/diag.js';
import { UsageError } from '../cli/errors.js';
import { VERSION } from '../cli/version.js';
import { readConfigFile, configPath } from '../config/config-file.js';
import type { DbSettings } from '../store/options.js';
import { helpText, licenseText, usageText } from './help.js';
import { parseWrapperArgs, type Builder } from './parse-args.js';
import { makePlan, type Action, type Plan, type WrapperArgs } from './plan.js';
import { promptPassword } from './password.js';

/** What every action gets: the switches, the plan and the database, opened on first use. */
export interface Ctx {
  args: WrapperArgs;
  plan: Plan;
  settings(): DbSettings;
  conn(): Promise<Connection>;
  out: NodeJS.WritableStream;
}

export type ActionRunner = (action: Action, ctx: Ctx) => Promise<void>;

export interface RunDeps {
  /** option builders of the parts (report filters, output formats) */
  builders?: Builder[];
  /** runs one action (the modes live in their own modules, loaded on demand) */
  runAction: ActionRunner;
}

export async function runWrapper(argv: string[], deps: RunDeps): Promise<void> {
  const args = await parseWrapperArgs(argv, deps.builders);
  const out = process.stdout;
  // print-and-exit switches first, before anything reads a file or a database
  if (args.help) return void out.write(helpText());
  if (args.usage) return void out.write(usageText());
  if (args.version) return void out.write(`ipta ${VERSION}\n`);
  if (args.license) return void out.write(licenseText(VERSION));

  const config = readConfigFile(configPath());
  const plan = makePlan(args, config);
  if (plan.actions.length === 0) {
    process.stderr.write(usageText());
    throw new UsageError('nothing to do: give a mode such as --analyze FILE (see above)');
  }

  let password: string | undefined;
  if (args['db-pass-i']) password = await promptPassword();

  let settings: DbSettings | undefined;
  let conn: Connection | undefined;
  const ctx: Ctx = {
    args,
    plan,
    out,
    settings() {
      if (!settings) {
        const { resolveDbSettings } = storeConnect!;
        settings = resolveDbSettings(args);
        if (password !== undefined) settings.password = password;
      }
      return settings;
    },
    async conn() {
      if (!conn) conn = await storeConnect!.connect(ctx.settings());
      return conn;
    },
  };
  // loaded here (not at the top) so `ipta --help` and the file-only modes start fast
  const storeConnect = await import('../store/connect.js');
  try {
    for (const action of plan.actions) await deps.runAction(action, ctx);
  } finally {
    if (conn) await conn.end().catch((err) => diag().warn(`closing the database connection: ${(err as Error).message}`));
  }
}
