#!/bin/sh
# Denied traffic as CSV for a spreadsheet (formula escaping on), chosen columns.
ipta-parse --year 2026 examples/iptables.log | ipta-report --module denied --limit 5 |
  ipta-format --format csv --columns count,src,dst,dpt,proto,action
