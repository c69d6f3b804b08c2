#!/usr/bin/env node
import { main } from '../dist/src/commands/load.js';
await main();
