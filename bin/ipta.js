#!/usr/bin/env node
import { main } from '../dist/src/commands/ipta.js';
await main();
