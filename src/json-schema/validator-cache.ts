import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, statSync } from 'node:fs';
import { rename, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { instantiateValidators, type SpecValidators } from './standalone-runtime.js';

/** Bumped when the shape of a cache file changes, or the dialect it is compiled in (2: JSON Schema 2020-12). */
const CACHE_FORMAT = 'toolsmith-validators-2';
const HEADER = /^\/\/ toolsmith validators sha256:([0-9a-f]{64})\n/;

/** Where toolsmith keeps what it generates: TOOLSMITH_CACHE_DIR, else $XDG_CACHE_HOME/toolsmith, else ~/.cache/toolsmith. */
export function resolveCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  const explicit = env['TOOLSMITH_CACHE_DIR'];
  if (explicit !== undefined && explicit !== '') return path.resolve(explicit);
  const xdg = env['XDG_CACHE_HOME'];
  const base = xdg !== undefined && path.isAbsolute(xdg) ? xdg : path.join(os.homedir(), '.cache');
  return path.join(base, 'toolsmith');
}

let fingerprint: string | undefined;

/** Everything the generated code depends on: a new toolsmith, ajv, ajv-formats or re2js makes new files. */
function compilerFingerprint(): string {
  if (fingerprint === undefined) {
    // Read, not required: toolsmith's own package.json is data here, not a module.
    const toolsmith = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version; // `as`: a package.json
    fingerprint = [CACHE_FORMAT, toolsmith, ...['ajv', 'ajv-formats', 're2js'].map((name) => installedVersion(name) ?? packageVersion(createRequire(import.meta.url), name))].join('|');
  }
  return fingerprint;
}

/**
 * A dependency's version from `node_modules/<name>/package.json` in the nearest folder above
 * this file that has one: the folder require() would load it from, found without resolving
 * its entry point through its exports map (~1 ms a package on `run`'s path). null when there
 * is none (NODE_PATH or a global folder: then packageVersion resolves it).
 */
function installedVersion(name: string): string | null {
  for (let dir = path.dirname(fileURLToPath(import.meta.url)); ; dir = path.dirname(dir)) {
    try {
      const manifest = JSON.parse(readFileSync(path.join(dir, 'node_modules', name, 'package.json'), 'utf8')) as { name?: string; version?: string }; // `as`: a package.json
      if (manifest.name === name && typeof manifest.version === 'string') return manifest.version;
    } catch {
      // none at this level; go up
    }
    if (path.dirname(dir) === dir) return null;
  }
}

/** A dependency's version, from the package.json above its entry point (re2js does not export ./package.json). */
function packageVersion(require: NodeJS.Require, name: string): string {
  let dir = path.dirname(require.resolve(name));
  for (let i = 0; i < 5; i++, dir = path.dirname(dir)) {
    try {
      const manifest = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as { name?: string; version?: string }; // `as`: a package.json
      if (manifest.name === name && typeof manifest.version === 'string') return manifest.version;
    } catch {
      // no package.json at this level; go up
    }
  }
  return 'unknown';
}

export interface SchemaPair {
  input_schema: object;
  output_schema: object;
}

/**
 * The file name of a spec's validators: the compiler fingerprint and either the SHA-256 the
 * registry records for the spec.json the schemas were read from (`specFileHash`: no
 * canonicalisation on the `run` hot path) or the schemas' canonical JSON.
 */
async function cacheKey(schemas: SchemaPair, specFileHash: string | undefined): Promise<string> {
  let identity: string;
  if (specFileHash !== undefined) identity = `spec.json:${specFileHash}`;
  else {
    const { default: canonicalize } = await import('canonicalize');
    identity = `schemas:${canonicalize({ input: schemas.input_schema, output: schemas.output_schema }) ?? ''}`;
  }
  return createHash('sha256').update(`${compilerFingerprint()}\0${identity}`).digest('hex');
}

/**
 * A cache entry is used only when the folder and the file belong to this user and nobody
 * else may write them, and the code matches the SHA-256 in its first line. That catches
 * corruption, a truncated write and another user's tampering; whoever runs as this user can
 * rewrite toolsmith itself, so no check here could stop them.
 */
function readTrusted(file: string): string | null {
  try {
    const uid = typeof process.getuid === 'function' ? process.getuid() : null;
    for (const target of [path.dirname(file), file]) {
      const info = statSync(target);
      if ((uid !== null && info.uid !== uid) || (info.mode & 0o022) !== 0) return null;
    }
    const text = readFileSync(file, 'utf8');
    const header = HEADER.exec(text);
    if (header === null) return null;
    const body = text.slice(header[0].length);
    return createHash('sha256').update(body).digest('hex') === header[1] ? body : null;
  } catch {
    return null;
  }
}

async function writeEntry(file: string, body: string): Promise<void> {
  const digest = createHash('sha256').update(body).digest('hex');
  const temp = `${file}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    await writeFile(temp, `// toolsmith validators sha256:${digest}\n${body}`, { mode: 0o600, flag: 'wx' });
    await rename(temp, file);
  } catch {
    // A cache that cannot be written only costs speed (and a folder we may not enter has no temp file to remove).
    await rm(temp, { force: true }).catch(() => undefined);
  }
}

/**
 * Input and output validators of a spec, compiled by toolsmith from the verified spec's
 * schemas (never loaded from the tool package) and cached under `cacheDir`, so `run`
 * loads ajv's compiler only the first time a spec is run. `cacheDir` null: no cache.
 * @throws Error when a schema does not compile (a spec that passed validation always does)
 */
export async function loadSpecValidators(schemas: SchemaPair, cacheDir: string | null, specFileHash?: string): Promise<SpecValidators> {
  const file = cacheDir === null ? null : path.join(cacheDir, 'validators', `${await cacheKey(schemas, specFileHash)}.js`);
  const cached = file === null ? null : readTrusted(file);
  if (cached !== null) return instantiateValidators(cached);
  const { createValidatorsSource } = await import('./compile-schema.js');
  const body = createValidatorsSource(schemas.input_schema, schemas.output_schema);
  const validators = instantiateValidators(body);
  if (file !== null) await writeEntry(file, body);
  return validators;
}
