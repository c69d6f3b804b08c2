#!/bin/sh
# A block list for `ipset restore`: sources seen at least 40 times (IPv4 and IPv6 sets).
ipta-parse --year 2026 examples/iptables.log | ipta-format --format ipset --min-count 40
