import { mkdir, readFile, rm, copyFile, mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { transpileToEsm } from '../ast/transpile.js';
import type { ToolSpec } from '../models/index.js';
import { BUILD_DIR, BUILD_MODULE_MARKER, SOURCE_ENTRY, builtPath } from '../models/package-layout.js';
import { listFiles } from '../stores/hash.js';
import { isRuntimeSource } from './runtime-sources.js';

export { NON_CODE_FOLDERS, isRuntimeSource } from './runtime-sources.js';

/**
 * Builds a package in place: transpiles its TypeScript into build/ (ESM, one .js per .ts),
 * so `run` never loads the TypeScript compiler. build/ holds only what runs in the sandbox:
 * the tool's validators are compiled by toolsmith from the verified spec.json at run time
 * (json-schema/validator-cache.ts), never loaded from the package into the CLI. Returns syntax
 * errors; nothing is built when there are any.
 */
export async function buildPackage(packageDir: string, _spec: ToolSpec): Promise<string[]> {
  const sources = (await listFiles(packageDir, (rel) => rel === BUILD_DIR)).filter(isRuntimeSource);
  const outputs: Array<[string, string]> = [];
  const errors: string[] = [];
  for (const rel of sources) {
    const result = transpileToEsm(await readFile(path.join(packageDir, rel), 'utf8'), rel);
    errors.push(...result.errors);
    outputs.push([builtPath(rel), result.code]);
  }
  if (!sources.includes(SOURCE_ENTRY)) errors.push(`${SOURCE_ENTRY}: missing (the tool implementation)`);
  if (errors.length > 0) return errors;
  outputs.push([`${BUILD_DIR}/${BUILD_MODULE_MARKER.file}`, BUILD_MODULE_MARKER.content]);
  await rm(path.join(packageDir, BUILD_DIR), { recursive: true, force: true });
  for (const [rel, content] of outputs) {
    await mkdir(path.dirname(path.join(packageDir, rel)), { recursive: true });
    await writeFile(path.join(packageDir, rel), content);
  }
  return [];
}

export interface ScratchBundle {
  dir: string;
  errors: string[];
  cleanup: () => Promise<void>;
}

/**
 * Copies a candidate's package into a scratch folder (with `index.ts` replaced by a sample
 * when given) and builds it there, so validation never writes into staged/.
 */
export async function buildScratchBundle(packageDir: string, spec: ToolSpec, indexOverride?: string): Promise<ScratchBundle> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'toolsmith-bundle-'));
  const cleanup = () => rm(dir, { recursive: true, force: true });
  try {
    // samples/ comes along uncompiled (isRuntimeSource), so a bundle of index.ts holds exactly the candidate's code.
    for (const rel of await listFiles(packageDir, (r) => r === BUILD_DIR)) {
      await mkdir(path.dirname(path.join(dir, rel)), { recursive: true });
      await copyFile(path.join(packageDir, rel), path.join(dir, rel));
    }
    if (indexOverride !== undefined) await copyFile(path.join(packageDir, indexOverride), path.join(dir, SOURCE_ENTRY));
    return { dir, errors: await buildPackage(dir, spec), cleanup };
  } catch (error) {
    await cleanup();
    throw error;
  }
}
