#!/bin/sh
# The analyzer on a log file, no database: the first thing to run.
ipta --analyze examples/iptables.log --year 2026
