// The TypeScript compiler, loaded through require() from this CommonJS file. An ES `import`
// of typescript's 9 MB CommonJS file makes Node scan all of it for named exports
// (cjs-module-lexer) and sniff its syntax first: about 0.4 s of CPU on every process that
// type-checks, transpiles or scans, more than loading it costs. Assigning through a local
// keeps the lexer from following the re-export into typescript.js.
//
// Compiling typescript.js itself costs every such process another ~0.15 s of CPU. Node 22 has
// a compile cache for this (module.enableCompileCache); Node 20 does not, so this file keeps
// V8's code cache of typescript.js in toolsmith's cache folder and hands the module it
// compiles to require() through require.cache (documented: entries may be added).
import fs = require('node:fs');
import codeCache = require('../models/v8-code-cache.cjs');
import Module = require('node:module');
import path = require('node:path');
import vm = require('node:vm');

loadFromCodeCache();

import ts = require('typescript');

export = ts;

/**
 * Compiles typescript.js with V8's code cache from an earlier process when there is a usable
 * one, and writes one at exit when there was not. Anything unexpected (no cache folder, a
 * read-only home, a rejected cache) leaves the plain require() below to do its usual work.
 *
 * Trust: the cache is bytecode that runs in the CLI, so a file is used only when it and its
 * folder belong to this user and nobody else may write them (as the validators' cache,
 * json-schema/validator-cache.ts). Whoever runs as this user can rewrite typescript.js itself.
 * V8 refuses a cache made by another V8 version, with other flags or for a source of another
 * length, and the file name carries typescript's version, size and mtime, Node's version and
 * the architecture. Writes are atomic (a private temporary file, then rename).
 */
function loadFromCodeCache(): void {
  try {
    const file = require.resolve('typescript');
    if (require.cache[file] !== undefined) return;
    const source = fs.readFileSync(file, 'utf8');
    const info = fs.statSync(file);
    const key = [readVersion(file), info.size, Math.trunc(info.mtimeMs), process.version, process.arch].join('-').replace(/[^\w.-]/g, '_');
    const cacheFile = path.join(codeCache.codeCacheDir(), `typescript-${key}.bin`);
    const cached = codeCache.readTrusted(cacheFile);
    const script = new vm.Script(Module.wrap(source), { filename: file, ...(cached === undefined ? {} : { cachedData: cached }) });
    const mod = new Module(file);
    mod.filename = file;
    const compiled = script.runInThisContext() as (exports: unknown, require: NodeJS.Require, module: Module, filename: string, dirname: string) => void; // `as`: the function Module.wrap's source evaluates to
    compiled.call(mod.exports, mod.exports, Module.createRequire(file), mod, file, path.dirname(file));
    mod.loaded = true;
    require.cache[file] = mod;
    // The cache is written after the process's work, so it holds the functions that work
    // compiled too (type-checking a tool compiles most of the checker).
    if (cached === undefined || script.cachedDataRejected === true) process.once('exit', () => codeCache.writeCache(cacheFile, script));
  } catch {
    // The plain require() below loads typescript as if no cache existed.
  }
}

function readVersion(file: string): string {
  const manifest = JSON.parse(fs.readFileSync(path.join(path.dirname(file), '..', 'package.json'), 'utf8')) as { version?: unknown }; // `as`: a package.json
  return typeof manifest.version === 'string' ? manifest.version : 'unknown';
}

