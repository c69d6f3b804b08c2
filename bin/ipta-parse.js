#!/usr/bin/env -S node --max-semi-space-size=4 --max-old-space-size=64
// Heap flags (they only take effect on the command line; worker threads inherit them): a small
// young generation, and an old generation capped far above what the parser ever keeps (a few jobs
// of 64 KiB, bounded caches), keep peak RSS under 120 MB on endless input (README, Performance).
import { main } from '../dist/src/commands/parse.js';
await main();
