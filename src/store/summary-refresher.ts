// Keeps the report engine's summary tables current while a load runs, on a connection of its own.
// Refreshing after each committed batch on the loader's connection would stop the import for as
// long as the refresh takes (about as long as writing the batch); on a second connection the
// server does both at once. At most one refresh runs; batches committed meanwhile are picked up
// by one more refresh when it ends (refreshSummaries works from a watermark, so nothing is
// counted twice or missed, and ipta-report refreshes again before it reads).
import type { Connection } from 'mysql2/promise';
import { connect } from './connect.js';
import type { DbSettings } from './options.js';
import { refreshSummaries } from './summary.js';

export class SummaryRefresher {
  private conn: Connection | null = null;
  private running: Promise<void> | null = null;
  private again = false;
  private stopped = false;
  private warned = false;

  constructor(private readonly settings: DbSettings, private readonly onInfo?: (message: string) => void) {}

  /** A batch was committed: refresh now, or once more after the refresh that is running. */
  kick(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.loop().finally(() => { this.running = null; });
  }

  private async loop(): Promise<void> {
    do {
      this.again = false;
      try {
        if (!this.conn) {
          const c = await connect(this.settings);
          if (this.stopped) {
            c.destroy();
            return;
          }
          this.conn = c;
        }
        await refreshSummaries(this.conn, this.settings);
      } catch (err) {
        // the rows are committed whatever happens here: say so once and let the report catch up
        if (!this.warned && !this.stopped) {
          this.warned = true;
          this.onInfo?.(`summary tables not refreshed (${(err as Error)?.message ?? String(err)}); ipta-report brings them up to date before it reads them`);
        }
        this.conn?.destroy();
        this.conn = null;
        return;
      }
    } while (this.again && !this.stopped);
  }

  /** Wait for the refreshes still due, then close the connection. */
  async close(): Promise<void> {
    while (this.running) await this.running;
    this.stopped = true;
    const c = this.conn;
    this.conn = null;
    if (c) await c.end().catch(() => c.destroy());
  }

  /** The import failed: stop without waiting (the server may be gone). */
  abort(): void {
    this.stopped = true;
    const drop = () => {
      this.conn?.destroy();
      this.conn = null;
    };
    drop();
    void this.running?.then(drop, drop);
  }
}
