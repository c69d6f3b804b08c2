#!/bin/sh
# The same report as a pipeline of the small commands: only the most denied ports, top 5.
ipta-parse --year 2026 examples/iptables.log | ipta-report --module ports --limit 5 | ipta-format
