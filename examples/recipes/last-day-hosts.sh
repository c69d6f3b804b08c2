#!/bin/sh
# Traffic per firewall over the last day of the log (--now pins "now" for the example).
ipta-parse --year 2026 examples/iptables.log | ipta-report --module hosts --since 24h --now 2026-11-11T00:00:00Z | ipta-format
