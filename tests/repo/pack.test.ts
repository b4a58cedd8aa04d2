/**
 * What `npm pack` ships (issue 9): the examples the README and hints point to, the shipped
 * registry, and never the files a run writes (registry/metrics.json, the lock) or a killed promote leaves. Packed from
 * a temporary copy holding a metrics.json and a lock, as a checkout that was used would.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, tempDir } from '../helpers.js';

const COPIED = ['package.json', 'README.md', 'bin', 'dist', 'templates', 'schemas', 'registry', 'examples'];

describe('npm pack', () => {
  it('ships examples/ and the registry but not metrics.json or the lock', () => {
    const dir = tempDir('toolsmith-pack-');
    for (const name of COPIED) cpSync(path.join(ROOT, name), path.join(dir, name), { recursive: true });
    writeFileSync(path.join(dir, 'registry', 'metrics.json'), '{}\n');
    mkdirSync(path.join(dir, 'registry', '.lock'));
    // A killed promote leaves a hidden temporary version folder.
    mkdirSync(path.join(dir, 'registry', 'tools', 'text_stats', '.tmp-1.0.0-abcd'));
    writeFileSync(path.join(dir, 'registry', 'tools', 'text_stats', '.tmp-1.0.0-abcd', 'index.ts'), '');
    const out = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: dir, encoding: 'utf8', env: { ...process.env, npm_config_loglevel: 'silent' } });
    const files = (JSON.parse(out) as Array<{ files: Array<{ path: string }> }>)[0]!.files.map((f) => f.path).sort();
    for (const example of ['text_stats', 'csv_group_count', 'json_pointer_get']) {
      for (const file of ['spec.json', 'index.ts', 'tests.json']) expect(files).toContain(`examples/${example}/${file}`);
    }
    expect(files).toContain('registry/metadata.json');
    expect(files).toContain('registry/audit.jsonl');
    expect(files).toContain('dist/cli/main.js');
    // bin/toolsmith.js is CommonJS (bin/package.json) and starts the CLI bundle through its loader.
    for (const file of ['bin/package.json', 'dist/cli/start.cjs', 'dist/cli/toolsmith.cjs']) expect(files).toContain(file);
    expect(files.filter((f) => f.startsWith('registry/') && !/^registry\/(metadata\.json|audit\.jsonl|tools\/)/.test(f))).toEqual([]);
  });
});
