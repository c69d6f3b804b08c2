// --help, --usage and --license texts, built from the switch table.
import { EXIT_CODES_HELP } from '../cli/run-command.js';
import { SWITCHES, display, type Switch } from './switches.js';

const SMALL = [
  ['parse', 'netfilter log lines -> NDJSON records'],
  ['load', 'NDJSON records -> MySQL/MariaDB (idempotent)'],
  ['report', 'the analyzer: records or the database -> report rows'],
  ['rdns', 'add reverse DNS names to records or report rows'],
  ['format', 'records or report rows -> tables, CSV, block lists, HTML'],
];

export function usageText(): string {
  return [
    'Usage: ipta [switches]          the traditional IPTA command line',
    '       ipta COMMAND [options]   one of the small commands (parse, load, report, rdns, format)',
    '',
    '  ipta --analyze /var/log/iptables.log      analyze a log file, no database needed',
    '  ipta --scan /var/log/iptables.log         every packet of a log file, as rows',
    '  ipta --follow /var/log/iptables.log       watch packets as they are logged',
    '  ipta --create-table                       create the log table in MySQL/MariaDB',
    '  ipta -c -i /var/log/iptables.log          clear the table, then import a log',
    '  ipta --import --follow /var/log/iptables.log   keep the database current',
    '  ipta --analyze -l 20 -r                   analyze the database, 20 rows, with host names',
    '',
    "Try 'ipta --help' for every switch.",
  ].join('\n') + '\n';
}

const COL = 30;
const WIDTH = 100;

/** Wrap `text` to lines of at most `width` characters. */
function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let cur = '';
  for (const word of text.split(' ')) {
    if (cur && cur.length + 1 + word.length > width) {
      lines.push(cur);
      cur = word;
    } else cur = cur ? `${cur} ${word}` : word;
  }
  if (cur) lines.push(cur);
  return lines;
}

function switchLines(group: Switch['group']): string[] {
  const out: string[] = [];
  for (const s of SWITCHES.filter((x) => x.group === group)) {
    const left = `  ${display(s)}`;
    const desc = wrap(s.describe, WIDTH - COL - 2);
    if (left.length > COL) out.push(left, ...desc.map((d) => `${' '.repeat(COL + 2)}${d}`));
    else out.push(`${left.padEnd(COL)}  ${desc[0]}`, ...desc.slice(1).map((d) => `${' '.repeat(COL + 2)}${d}`));
  }
  return out;
}

export function helpText(): string {
  const out = [
    'ipta - iptables / netfilter log analyzer',
    '',
    usageText().replace(/\nTry 'ipta --help'.*\n$/, ''),
  ];
  for (const g of ['Modes', 'Input', 'Database', 'Format', 'DNS cache', 'Other'] as const) {
    out.push(`${g}:`, ...switchLines(g), '');
  }
  out.push(
    'Several actions on one line run in this order, whatever their order on the line: save-db,',
    'delete tables, create tables, clear, import, list tables, analyze, scan, dns-dump, then',
    'follow or the interactive prompt (which run until stopped). `ipta -a -i f -c` clears,',
    'imports, then analyzes.',
    '',
    'With --analyze, --scan and --follow the report filters and output formats of the small',
    "commands apply too (--since, --until, --host, --action, --proto, --src, --dst, --dport,",
    "--module, --format csv|tsv|ndjson|markdown...): see 'ipta report --help' and 'ipta format --help'.",
    '',
    'Config file: ~/.ipta (or $IPTA_CONFIG), "key = value" lines, # comments. Keys: db_host',
    'db_port db_socket db_user db_pass db_name db_table dns_table db_ssl db_ssl_ca (also spelt',
    'db.host, ...), analyzer limit, rdns, counter, show-lo, header (yes/no), ttl.',
    'Precedence: defaults < config file < environment < command line. Environment: IPTA_DB_HOST,',
    'IPTA_DB_PORT, IPTA_DB_SOCKET, IPTA_DB_USER, IPTA_DB_PASS (or MYSQL_PWD), IPTA_DB_NAME,',
    'IPTA_DB_TABLE, IPTA_DNS_TABLE.',
    '',
    'Commands: ' + SMALL.map(([c]) => c).join(', ') + "; 'ipta COMMAND --help' for each:",
    ...SMALL.map(([c, d]) => `  ipta ${c.padEnd(8)} ${d}`),
    '',
    EXIT_CODES_HELP,
  );
  return out.join('\n') + '\n';
}

export function licenseText(version: string): string {
  return `ipta ${version} - iptables / netfilter log analyzer

This program is free software: you can redistribute it and/or modify it under the terms of the
GNU General Public License as published by the Free Software Foundation, either version 3 of the
License, or (at your option) any later version.

This program is distributed in the hope that it will be useful, but WITHOUT ANY WARRANTY; without
even the implied warranty of MERCHANTABILITY or FITNESS FOR A PARTICULAR PURPOSE. See the GNU
General Public License for more details: <https://www.gnu.org/licenses/gpl-3.0.html>.
`;
}
