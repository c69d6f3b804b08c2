#!/bin/sh
# Who touched 10 or more ports (or hosts) within one day, with the evidence.
ipta-parse --year 2026 examples/iptables.log | ipta-report --module scanners --scan-window 1d --limit 3 | ipta-format
