// Which package files run: light (no TypeScript compiler), so `show` can list them without loading the build.
import { BUILD_DIR } from '../models/package-layout.js';

/**
 * Folders of a package that hold no tool code: test data the tool may read during validation
 * (`fixtures/`), the generator's prompts and replies (`generation/`), dependencies. Nothing in
 * them is compiled, so nothing in them runs, and the scan gate (validate/scan-gate.ts) can
 * skip them: the gate's claim then covers every module that runs. (A helper hidden in
 * `fixtures/helper.ts` was compiled and ran while the gate skipped it as data.)
 */
export const NON_CODE_FOLDERS = ['fixtures', 'generation', 'node_modules'] as const;

/** Whether a package file is compiled into build/: TypeScript outside the non-code folders, samples and the reference. */
export function isRuntimeSource(rel: string): boolean {
  const top = rel.split('/')[0] ?? '';
  if ((NON_CODE_FOLDERS as readonly string[]).includes(top) && rel.includes('/')) return false; // widening: a readonly tuple of strings is a readonly string[]
  return rel.endsWith('.ts') && !rel.endsWith('.d.ts') && rel !== 'reference.ts' && !rel.startsWith('samples/') && !rel.startsWith(`${BUILD_DIR}/`);
}
