// One suite per grouped file (named by its path), whose factory imports the file: its tests,
// hooks and describe blocks are collected inside that suite, as they would be in a file of
// their own. See tests/test-groups.ts.
import path from 'node:path';
import { describe } from 'vitest';
import { ROOT } from '../helpers.js';
import { TEST_GROUPS } from '../test-groups.js';

export function runGroup(name: string): void {
  const files = TEST_GROUPS[name];
  if (files === undefined) throw new Error(`no test group named ${name} in tests/test-groups.ts`);
  for (const file of files) {
    describe(file, async () => {
      await import(/* @vite-ignore */ path.join(ROOT, file));
    });
  }
}
