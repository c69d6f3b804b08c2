#!/bin/sh
# Every packet that was not accepted, as --follow shows them, over a whole file.
ipta --scan examples/iptables.log --no-accept --no-local --year 2026 --utc | head -n 12
