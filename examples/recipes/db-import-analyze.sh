#!/bin/sh
# Into MySQL/MariaDB and back: create the table, import twice (the second adds nothing),
# then the analyzer over the database. Settings from ~/.ipta or IPTA_DB_* (see README).
set -e
ipta --create-table
ipta -i examples/iptables.log --year 2026 -q
ipta -i examples/iptables.log --year 2026 -q
ipta --analyze -l 5 --module ports --module port-actions
