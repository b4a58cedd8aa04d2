/**
 * The grouped test files (tests/test-groups.ts) share one process per group: each must exist,
 * be in one group only, run in a group file that exists, and leave the process as it found it.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers.js';
import { GROUPED_FILES, TEST_GROUPS } from '../test-groups.js';

/** What would leak from one grouped file into the next: process-wide state no test restores for sure. */
const PROCESS_STATE = [
  /process\.chdir\(/,
  /process\.env(\[[^\]]+\]|\.\w+)\s*=[^=]/,
  /delete\s+process\.env/,
  /process\.umask\(/,
  /vi\.(mock|doMock|stubEnv|stubGlobal|useFakeTimers)\(/,
  /process\.(on|once|prependListener)\(/,
];

describe('test groups', () => {
  it('every grouped file exists, once, and is a test file', () => {
    expect(new Set(GROUPED_FILES).size).toBe(GROUPED_FILES.length);
    for (const file of GROUPED_FILES) {
      expect(file).toMatch(/^tests\/.+\.test\.ts$/);
      expect(existsSync(path.join(ROOT, file)), file).toBe(true);
      expect(file.startsWith('tests/groups/') || file.startsWith('tests/e2e/'), file).toBe(false);
    }
  });

  it('every group has its file in tests/groups/, and every file there a group', () => {
    const files = readdirSync(path.join(ROOT, 'tests', 'groups')).filter((f) => f.endsWith('.test.ts'));
    expect(files.map((f) => f.replace(/\.test\.ts$/, '')).sort()).toEqual(Object.keys(TEST_GROUPS).sort());
    for (const file of files) expect(readFileSync(path.join(ROOT, 'tests', 'groups', file), 'utf8')).toContain(`runGroup('${file.replace(/\.test\.ts$/, '')}')`);
  });

  it('no grouped file changes process-wide state (the directory, the environment, mocks, timers, listeners)', () => {
    const offenders = GROUPED_FILES.flatMap((file) => {
      const text = readFileSync(path.join(ROOT, file), 'utf8');
      return PROCESS_STATE.filter((pattern) => pattern.test(text)).map((pattern) => `${file}: ${pattern.source}`);
    });
    expect(offenders).toEqual([]);
  });
});
