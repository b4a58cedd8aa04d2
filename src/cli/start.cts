// How bin/toolsmith.js starts the CLI: from dist/cli/toolsmith.cjs, the whole CLI in one
// CommonJS file (scripts/build-bundle.mjs), compiled with V8's code cache from an earlier
// process. Node 20 has no compile cache for ES modules, and resolving, reading and compiling
// the ~80 modules of dist/ cost `toolsmith run` ~40 ms before any work.
//
// Trust: the cache is bytecode that runs in the CLI, so it is used only when the file and its
// folder belong to this user and nobody else may write them (as typescript's code cache,
// src/ast/typescript.cts, and the validators' cache). V8 refuses a cache made by another V8
// version, with other flags or for a source of another length; the file name carries
// toolsmith's version, the bundle's size and mtime, Node's version and the architecture.
// Writes are atomic (a private temporary file, then rename), after the process's work, so the
// cache holds the functions that work compiled too.
//
// CommonJS, as bin/toolsmith.js (bin/package.json): an ES-module entry costs every command
// ~5 ms of starting Node's ES-module loader, which the bundle does not need.
import fs = require('node:fs');
import codeCache = require('../models/v8-code-cache.cjs');
import Module = require('node:module');
import path = require('node:path');
import vm = require('node:vm');

const BUNDLE = path.join(__dirname, 'toolsmith.cjs');

/** The wrapper function Module.wrap's source evaluates to. */
type CommonJsWrapper = (exports: unknown, require: NodeJS.Require, module: Module, filename: string, dirname: string) => void;

/**
 * Runs the CLI from the bundle; false (and nothing run) when there is no bundle, and the
 * caller imports dist/cli/main.js instead (a build made by `tsc` alone).
 */
function startBundle(): boolean {
  let source: string;
  let info: fs.Stats;
  try {
    source = fs.readFileSync(BUNDLE, 'utf8');
    info = fs.statSync(BUNDLE);
  } catch {
    return false;
  }
  const key = [readVersion(), info.size, Math.trunc(info.mtimeMs), process.version, process.arch].join('-').replace(/[^\w.-]/g, '_');
  const cacheFile = path.join(codeCache.codeCacheDir(), `cli-${key}.bin`);
  const cached = codeCache.readTrusted(cacheFile);
  const script = new vm.Script(Module.wrap(source), { filename: BUNDLE, ...(cached === undefined ? {} : { cachedData: cached }) });
  if (cached === undefined || script.cachedDataRejected === true) process.once('exit', () => codeCache.writeCache(cacheFile, script));
  const mod = new Module(BUNDLE);
  mod.filename = BUNDLE;
  // The bundle's import() of packages (ES modules, loaded lazily): vm.Script cannot run import()
  // itself in Node 20. Resolved from this folder, the bundle's own.
  Object.assign(mod, { toolsmithImport: (specifier: string): Promise<unknown> => import(specifier) });
  const compiled = script.runInThisContext() as CommonJsWrapper; // `as`: the function Module.wrap's source evaluates to
  compiled.call(mod.exports, mod.exports, Module.createRequire(BUNDLE), mod, BUNDLE, path.dirname(BUNDLE));
  return true;
}

export = { startBundle };

function readVersion(): string {
  try {
    const manifest = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8')) as { version?: unknown }; // `as`: a package.json
    return typeof manifest.version === 'string' ? manifest.version : 'unknown';
  } catch {
    return 'unknown';
  }
}

