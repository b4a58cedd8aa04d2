#!/usr/bin/env node
// CommonJS (bin/package.json): the CLI as one CommonJS bundle with V8's code cache
// (src/cli/start.cts) needs no ES-module loader to start. A build made by `tsc` alone has no
// bundle and runs the ES modules of dist/ directly.
'use strict';
const { startBundle } = require('../dist/cli/start.cjs');

if (!startBundle()) import('../dist/cli/main.js');
