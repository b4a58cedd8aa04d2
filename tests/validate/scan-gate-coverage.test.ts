/**
 * The scan gate's claim (SPEC 7: "the scanner's built-in tool rules find no error-severity
 * finding in the package") must cover every module that runs. A candidate hid `eval` and
 * module state in `fixtures/helper.ts`, imported by index.ts behind `// @ts-ignore`: the
 * build compiled it into build/fixtures/helper.js (it ran, in validation and after promote),
 * while the scan gate skipped fixtures/ as data, so the report said `scan_ok` (red team,
 * issue 8). In-process: the build and the gate on one package folder, no sandbox needed.
 */
import { mkdirSync, readdirSync, writeFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildPackage } from '../../src/bundle/build-package.js';
import { checkScanGate } from '../../src/validate/scan-gate.js';
import type { ToolSpec } from '../../src/models/index.js';
import { tempDir } from '../helpers.js';

const SPEC = { tool_name: 'echo_n' } as unknown as ToolSpec; // buildPackage does not read the spec

const HELPER = `let calls = 0;
export function twice(n: number): number {
  calls++;
  return eval('n');
}
`;

/** Every .js file of a build/ folder, as package-relative source paths (`lib/x.ts`). */
function compiledSources(dir: string): string[] {
  const out: string[] = [];
  const walk = (rel: string) => {
    for (const entry of readdirSync(path.join(dir, 'build', rel), { withFileTypes: true })) {
      const r = rel ? `${rel}/${entry.name}` : entry.name;
      if (entry.isDirectory()) walk(r);
      else if (r.endsWith('.js')) out.push(r.replace(/\.js$/, '.ts'));
    }
  };
  if (existsSync(path.join(dir, 'build'))) walk('');
  return out.sort();
}

describe('every module the build compiles is one the scan gate scanned', () => {
  it.each(['fixtures', 'generation', 'node_modules', 'lib'])('a helper under %s/ either does not run or its findings fail the gate', async (folder) => {
    const dir = tempDir('toolsmith-scan-coverage-');
    mkdirSync(path.join(dir, folder), { recursive: true });
    writeFileSync(path.join(dir, 'index.ts'), `// @ts-ignore -- a helper module\nimport { twice } from './${folder}/helper.js';\nexport default async function echo(input: { n: number }): Promise<{ n: number }> {\n  return { n: twice(input.n) };\n}\n`);
    writeFileSync(path.join(dir, folder, 'helper.ts'), HELPER);
    expect(await buildPackage(dir, SPEC)).toEqual([]);
    const gate = checkScanGate(dir);
    const scanned = new Set(gate.findings.map((f) => f.file));
    for (const source of compiledSources(dir)) {
      if (source === 'index.ts') continue;
      // A compiled helper is code that runs: its eval and module state are findings.
      expect(scanned.has(source), `${source} is compiled into build/ but the scan gate did not look at it`).toBe(true);
    }
    if (compiledSources(dir).includes(`${folder}/helper.ts`)) {
      expect(gate.ok).toBe(false);
      expect(gate.findings.filter((f) => f.file === `${folder}/helper.ts`).map((f) => f.rule).sort()).toEqual(['tool-no-eval', 'tool-no-module-state']);
    }
  });
});
