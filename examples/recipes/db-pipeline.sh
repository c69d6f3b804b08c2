#!/bin/sh
# The same with the small commands: load, then the report computed by the database.
set -e
ipta-parse -q --year 2026 examples/iptables.log | ipta-load
ipta-report --engine mysql --module interfaces --limit 5 | ipta-format
