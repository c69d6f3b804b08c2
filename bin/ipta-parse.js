#!/usr/bin/env node
import { main } from '../dist/src/commands/parse.js';
await main();
