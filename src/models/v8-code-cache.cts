// V8 code caches of the big CommonJS files toolsmith runs (the CLI bundle, src/cli/start.cts;
// typescript.js, src/ast/typescript.cts): where they live, when one may be used, how one is
// written. Node 20 has no compile cache of its own (module.enableCompileCache is Node 22).
//
// Trust: a cache is bytecode that runs in the CLI, so a file is used only when it and its
// folder belong to this user and nobody else may write them (as the validators' cache,
// json-schema/validator-cache.ts). Whoever runs as this user can rewrite toolsmith itself.
// V8 refuses a cache made by another V8 version, with other flags or for a source of another
// length. Writes are atomic: a private temporary file, then rename.
import fs = require('node:fs');
import os = require('node:os');
import path = require('node:path');
import type vm = require('node:vm');

/** `v8/` of TOOLSMITH_CACHE_DIR, else of $XDG_CACHE_HOME/toolsmith, else of ~/.cache/toolsmith (as resolveCacheDir in json-schema/validator-cache.ts). */
function codeCacheDir(): string {
  const explicit = process.env['TOOLSMITH_CACHE_DIR'];
  if (explicit !== undefined && explicit !== '') return path.join(path.resolve(explicit), 'v8');
  const xdg = process.env['XDG_CACHE_HOME'];
  return path.join(xdg !== undefined && path.isAbsolute(xdg) ? xdg : path.join(os.homedir(), '.cache'), 'toolsmith', 'v8');
}

/** The cache's bytes, when the file and its folder are this user's alone; undefined otherwise. */
function readTrusted(file: string): Buffer | undefined {
  try {
    const uid = process.getuid?.();
    for (const target of [path.dirname(file), file]) {
      const info = fs.statSync(target);
      if ((uid !== undefined && info.uid !== uid) || (info.mode & 0o022) !== 0) return undefined;
    }
    return fs.readFileSync(file);
  } catch {
    return undefined;
  }
}

/** Writes the script's code cache (call it after the process's work: it then holds what that work compiled). */
function writeCache(file: string, script: vm.Script): void {
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    const temporary = `${file}.${process.pid}.tmp`;
    try {
      fs.writeFileSync(temporary, script.createCachedData(), { mode: 0o600, flag: 'wx' });
      fs.renameSync(temporary, file);
    } finally {
      fs.rmSync(temporary, { force: true });
    }
  } catch {
    // A cache is an optimisation: an unwritable folder costs the next process its compile time.
  }
}

export = { codeCacheDir, readTrusted, writeCache };
