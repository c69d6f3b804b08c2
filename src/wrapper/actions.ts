// One action -> the module that runs it. Modules are imported on first use, so `ipta --help`
// never loads mysql2 and `ipta --analyze FILE` never loads the interactive prompt.
import type { Action } from './plan.js';
import type { Ctx } from './run.js';

export async function runAction(action: Action, ctx: Ctx): Promise<void> {
  switch (action.kind) {
    case 'save-db':
      return (await import('./db-actions.js')).saveDb(ctx);
    case 'delete-all-tables':
      return (await import('./db-actions.js')).dropAll(ctx);
    case 'delete-table':
      return (await import('./db-actions.js')).dropOne(action, ctx);
    case 'create-table':
      return (await import('./db-actions.js')).createTable(action, ctx);
    case 'dns-create-table':
      return (await import('./dns-actions.js')).dnsCreate(ctx);
    case 'clear':
      return (await import('./db-actions.js')).clear(ctx);
    case 'dns-cache-clear':
      return (await import('./dns-actions.js')).dnsClear(ctx);
    case 'dns-prune':
      return (await import('./dns-actions.js')).dnsPruneOld(ctx);
    case 'list-tables':
      return (await import('./db-actions.js')).listAll(ctx);
    case 'dns-dump':
      return (await import('./dns-actions.js')).dnsDumpAll(ctx);
    case 'import':
      return (await import('./modes.js')).importFiles(action, ctx);
    case 'import-follow':
      return (await import('./modes.js')).importFollow(action, ctx);
    case 'analyze':
      return (await import('./modes.js')).analyze(action, ctx);
    case 'scan':
      return (await import('./modes.js')).scan(action, ctx);
    case 'follow':
      return (await import('./modes.js')).follow(action, ctx);
    case 'interactive':
      return (await import('./interactive.js')).interactive(ctx);
  }
}
