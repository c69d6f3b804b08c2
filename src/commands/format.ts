import { constants } from 'node:fs';
import { access } from 'node:fs/promises';
import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import type { AnyCommand } from '../cli/run-command.js';
import { runCommand } from '../cli/run-command.js';
import { RuntimeError } from '../cli/errors.js';
import { diag } from '../cli/diag.js';
import { ndjsonBatches, type NdjsonStats } from '../stream/ndjson-lines.js';
import { runPipeline } from '../stream/run-pipeline.js';
import { badLine, formatStream, toFormatOptions, withFormatOptions } from '../format/index.js';

const DESCRIBE = `Show records (from ipta-parse or ipta-rdns) and report rows (from ipta-report) as tables, CSV,
Markdown or block lists. Reads NDJSON from the files or stdin; rows are printed as records arrive.

Records become the follow/scan rows of IPTA 0.2
  Time     Count IF    Source          Port  Destination     Port  Proto Action
with the log's own time (local time, or UTC with --utc), IF = the input interface, else the output
one, resolved names (src_name/dst_name) in place of addresses, blank ports when a packet has none.
A name or address wider than its column shows as * followed by its end, exactly as wide as the column.
Report rows become one titled table per module, as the manual's analyzer output.
In the table format, input lines that are not JSON pass through unchanged; in the other formats
they are reported on stderr instead.

Block lists (plain, ipset, nft) hold the distinct source addresses (records whose verdict is
accept are not counted; report rows count their count, a source in several modules once, by its
largest module total); loopback, private, link-local, multicast and unspecified addresses and
everything inside --allow are never listed (unless --include-private).`;

async function openInputs(files: string[]): Promise<Readable> {
  if (files.length === 0) return process.stdin;
  for (const f of files) {
    try {
      await access(f, constants.R_OK);
    } catch (err) {
      throw new RuntimeError(`${f}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : 'cannot read'}`);
    }
  }
  return Readable.from((async function* () {
    for (const f of files) {
      // each file ends its last line, so a file without a final newline does not glue onto the next
      let last = 10;
      for await (const chunk of createReadStream(f, { highWaterMark: 256 * 1024 }) as AsyncIterable<Buffer>) {
        if (chunk.length) last = chunk[chunk.length - 1]!;
        yield chunk;
      }
      if (last !== 10) yield Buffer.from('\n');
    }
  })(), { objectMode: false });
}

export const command: AnyCommand = {
  command: 'format [files..]',
  describe: DESCRIBE,
  builder: (y) => withFormatOptions(y)
    .positional('files', { type: 'string', array: true, describe: 'NDJSON files, read in order (default: stdin)' })
    .example('tail -F /var/log/iptables.log | ipta-parse | ipta-format', 'watch the log live')
    .example('ipta-parse log | ipta-report | ipta-format', 'the analyzer tables')
    .example('ipta-parse log | ipta-format --format ipset --aggregate --min-count 5 | ipset restore', 'block the noisiest sources')
    .example('ipta-parse log | ipta-format --format csv --columns ts,src,dpt,action', 'a spreadsheet'),
  handler: async (argv: Record<string, unknown>) => {
    const o = toFormatOptions(argv);
    const input = await openInputs(((argv.files as string[] | undefined) ?? []).map(String));
    const stats: NdjsonStats = { lines: 0, objects: 0, bad: 0 };
    // a chunk of records at a time; lines that are not JSON keep their place among them
    const items = ndjsonBatches(input, { inlineBad: badLine, stats });
    await runPipeline(formatStream(items, o), process.stdout);
    if (stats.bad > 5 && o.format !== 'table') {
      diag().warn(`${stats.bad} line(s) were not JSON objects and were left out`);
    }
  },
};

export const main = (): Promise<void> => runCommand(command, 'ipta-format');
