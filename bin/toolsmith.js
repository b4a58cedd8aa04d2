#!/usr/bin/env node
// The CLI as one CommonJS bundle with V8's code cache (src/cli/start.ts); a build made by
// `tsc` alone has no bundle and runs the ES modules of dist/ directly.
import { startBundle } from '../dist/cli/start.js';

if (!startBundle()) await import('../dist/cli/main.js');
