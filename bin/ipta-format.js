#!/usr/bin/env node
import { main } from '../dist/src/commands/format.js';
await main();
