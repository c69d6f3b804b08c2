#!/bin/sh
# The same sources as an nftables script, merged into CIDR blocks where that covers nothing else.
ipta-parse --year 2026 examples/iptables.log | ipta-format --format nft --min-count 40 --aggregate
