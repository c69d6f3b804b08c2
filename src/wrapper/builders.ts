// The option builders of the parts the wrapper composes: report filters (--since, --host...),
// output formats (--format csv...) and reverse DNS (--dns-server, --timeout...). The wrapper's own
// switch table is applied after them, so where a name is shared (--limit, --ttl, --no-header)
// the traditional meaning and its checks win.
import type { Builder } from './parse-args.js';

export async function wrapperBuilders(): Promise<Builder[]> {
  const [{ withReportOptions }, { withFormatOptions }, { withRdnsOptions }] = await Promise.all([
    import('../report/options.js'),
    import('../format/options.js'),
    import('../rdns/options.js'),
  ]);
  return [
    (y) => withReportOptions(y),
    (y) => withFormatOptions(y),
    (y) => withRdnsOptions(y),
  ];
}
