// The core of `toolsmith scan` (issue 10, item 5): returns { result, passed }, called in-process.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { scanWorkspace } from '../../src/lifecycle/scan-workspace.js';
import { tempDir } from '../helpers.js';

/** A workspace whose config forbids eval (error) and warns on console.log calls. */
function workspace(files: Record<string, string>): string {
  const root = tempDir('toolsmith-scan-ws-'); // removed by the suite's cleanup (tests/helpers.ts)
  const rules = [
    { kind: 'forbidden-call', options: { names: ['eval'] } },
    { id: 'no-log', kind: 'forbidden-call', severity: 'warning', options: { names: ['console.log'] } },
  ];
  writeFileSync(path.join(root, 'toolsmith.config.json'), JSON.stringify({ scan: { rules, tool_rules: false } }));
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    writeFileSync(path.join(root, rel), text);
  }
  return root;
}

describe('scanWorkspace', () => {
  it('an error finding fails the scan; warnings pass unless over maxWarnings', async () => {
    const root = workspace({ 'src/a.ts': 'console.log(1);\n', 'src/b.ts': 'eval("1");\n' });
    const all = await scanWorkspace({ cwd: root });
    expect(all.passed).toBe(false);
    expect(all.root).toBe(root);
    expect(all.result.findings.map((f) => [f.rule, f.file])).toEqual([['no-log', 'src/a.ts'], ['forbidden-call', 'src/b.ts']]);
    expect((await scanWorkspace({ cwd: root, paths: ['src/a.ts'] })).passed).toBe(true);
    expect((await scanWorkspace({ cwd: root, paths: ['src/a.ts'], maxWarnings: 0 })).passed).toBe(false);
  });

  it('--config naming no file is a user error naming it', async () => {
    const root = workspace({});
    await expect(scanWorkspace({ cwd: root, configFile: 'nope.json' })).rejects.toThrow('--config nope.json: no such file');
  });
});
