/**
 * The repository is self-contained (SPEC 10): a fresh clone has no team folder (SIBLING below)
 * beside it, so nothing the code, tests, benchmarks or scripts read may live there. Fixtures live in
 * tests/fixtures/ (the CodeBLEU corpus is read from there by bench/ and scripts/ too).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers.js';

const CHECKED = ['src', 'tests', 'bench', 'scripts'];
const SELF = path.relative(ROOT, new URL(import.meta.url).pathname);
/** The folder beside the checkout that holds the team's spec and data; a user's clone has none. */
const SIBLING = 'shared';
/** `../` + SIBLING, or a path built from '..' and SIBLING segments (path.join(ROOT, '..', SIBLING)). */
const OUTSIDE = [new RegExp(String.raw`\.\.[/\\]${SIBLING}\b`), new RegExp(String.raw`['"]\.\.['"]\s*,\s*['"]${SIBLING}['"]`)];

function files(dir: string): string[] {
  return readdirSync(path.join(ROOT, dir)).flatMap((name) => {
    const rel = path.join(dir, name);
    if (name === 'node_modules' || name === 'fixtures') return [];
    return statSync(path.join(ROOT, rel)).isDirectory() ? files(rel) : [rel];
  });
}

describe('self-contained repository', () => {
  it('no file under src/, tests/, bench/ or scripts/ refers to the sibling team folder', () => {
    const offenders: string[] = [];
    for (const file of CHECKED.flatMap(files)) {
      if (file === SELF) continue;
      const lines = readFileSync(path.join(ROOT, file), 'utf8').split('\n');
      lines.forEach((line, i) => {
        if (OUTSIDE.some((re) => re.test(line))) offenders.push(`${file}:${i + 1}: ${line.trim()}`);
      });
    }
    expect(offenders).toEqual([]);
  });

  it('the fixtures the tests and benchmarks read are in the repository', () => {
    for (const fixture of ['tests/fixtures/codebleu/dev.jsonl', 'tests/fixtures/sarif-schema-2.1.0.json']) {
      expect(statSync(path.join(ROOT, fixture), { throwIfNoEntry: false })?.isFile(), fixture).toBe(true);
    }
  });
});
