#!/bin/sh
# Only UFW's lines, as packet rows (the first ten).
ipta-parse --year 2026 --prefix '[UFW' examples/iptables.log | ipta-format --utc | head -n 11
