#!/usr/bin/env node
import { main } from '../dist/src/commands/report.js';
await main();
