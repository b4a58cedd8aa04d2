/**
 * docs/architecture.md is true (issue 10): every folder of src/ has a row in its table and an
 * `import-boundary` rule in toolsmith.config.json that the self-scan enforces, and no row or
 * rule names a folder that does not exist.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers.js';

const SRC_FOLDERS = readdirSync(path.join(ROOT, 'src')).filter((name) => statSync(path.join(ROOT, 'src', name)).isDirectory()).sort();
const DOC = readFileSync(path.join(ROOT, 'docs', 'architecture.md'), 'utf8');
const CONFIG = JSON.parse(readFileSync(path.join(ROOT, 'toolsmith.config.json'), 'utf8')) as { scan: { rules: Array<{ kind: string; files?: string[] }> } };

/** Folder names in the first column of the doc's table: `| \`name/\` |`. */
const DOC_ROWS = [...DOC.matchAll(/^\| `([a-z-]+)\/` \|/gm)].map((m) => m[1] ?? '');
/** Folders of src/ that an import-boundary rule is written for (`files: ["src/<name>/**"]`). */
const BOUNDED = CONFIG.scan.rules.filter((r) => r.kind === 'import-boundary').flatMap((r) => (r.files ?? []).map((f) => /^src\/([a-z-]+)\/\*\*$/.exec(f)?.[1]).filter((n): n is string => n !== undefined));

describe('docs/architecture.md and the boundary rules', () => {
  it('has a row for every folder of src/, and none for a folder that is gone', () => {
    expect(SRC_FOLDERS.length).toBeGreaterThan(10); // the scan of src/ found the tree
    expect(SRC_FOLDERS.filter((f) => !DOC_ROWS.includes(f))).toEqual([]);
    expect(DOC_ROWS.filter((f) => f !== 'bin' && !SRC_FOLDERS.includes(f))).toEqual([]);
  });

  it('every folder of src/ has an import-boundary rule, and no rule names a folder that is gone', () => {
    expect(SRC_FOLDERS.filter((f) => !BOUNDED.includes(f))).toEqual([]);
    expect(BOUNDED.filter((f) => !SRC_FOLDERS.includes(f))).toEqual([]);
  });
});
