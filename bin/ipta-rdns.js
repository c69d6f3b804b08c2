#!/usr/bin/env node
import { main } from '../dist/src/commands/rdns.js';
await main();
