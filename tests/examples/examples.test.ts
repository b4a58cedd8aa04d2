/**
 * The shipped examples (examples/, promoted into the repository's registry/) pass their own
 * tests.json through the real gates (in-process, tests run in the sandbox), and the flagship
 * text_stats handles a few hundred KB of text (issue 9, item 16: its sentence regex used to
 * backtrack catastrophically, 5,000 characters without . ! ? ran out of time).
 */
import { cpSync, existsSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { pathToFileURL } from 'node:url';
import { defaultConfig } from '../../src/workspace/load-config.js';
import { readCurrentHashes } from '../../src/stores/staged-store.js';
import type * as ValidateModule from '../../src/validate/validate-candidate.js';
import { ROOT, tempDir, toolsmith } from '../helpers.js';

// The built module: the sandbox starts its harness from dist/ (a .ts file cannot run in the child).
const { validateCandidate } = (await import(pathToFileURL(path.join(ROOT, 'dist', 'validate', 'validate-candidate.js')).href)) as typeof ValidateModule;

// Tool packages only (examples/pipelines/ holds Pipeline files).
const EXAMPLES = readdirSync(path.join(ROOT, 'examples')).filter((name) => existsSync(path.join(ROOT, 'examples', name, 'spec.json'))).sort();

describe('shipped examples', () => {
  it.each(EXAMPLES)('%s passes every gate on its own tests', async (id) => {
    const dir = path.join(tempDir('toolsmith-example-'), id);
    cpSync(path.join(ROOT, 'examples', id), dir, { recursive: true });
    const report = await validateCandidate({ toolId: id, packageDir: dir, limits: defaultConfig().sandbox, cwd: path.dirname(dir), now: () => new Date(), current: await readCurrentHashes(dir) });
    expect(report.errors).toEqual([]);
    expect(report.is_valid).toBe(true);
  }, 60_000);

  it('the promoted text_stats counts 300 KB of text, much of it without sentence ends, inside the sandbox limits', () => {
    const ws = tempDir('toolsmith-text-stats-');
    for (const name of ['registry', 'toolsmith.config.json']) cpSync(path.join(ROOT, name), path.join(ws, name), { recursive: true });
    const unterminated = 'lorem ipsum dolor sit amet '.repeat(6_000); // 162,000 characters, no . ! ?
    const sentences = 'Tools are governed. Are they fast? Yes! '.repeat(3_500); // 140,000 characters, 10,500 sentences
    writeFileSync(path.join(ws, 'input.json'), JSON.stringify({ text: `${unterminated}\n${sentences}${unterminated}`, top: 2 }));
    // The timeout only keeps a regression from hanging the suite; the tool's own limit is sandbox.timeout_ms (10 s).
    const r = toolsmith(ws, ['run', 'text_stats', '--input-file', 'input.json', '--json'], { timeout: 45_000 });
    expect(r.code, `${r.stdout}${r.stderr}`).toBe(0);
    const result = JSON.parse(r.stdout).result;
    expect(result).toMatchObject({ sentences: 10_500, lines: 2, words: 2 * 30_000 + 3_500 * 7 });
    expect(result.characters).toBe(2 * unterminated.length + 1 + sentences.length);
    expect(result.top_words).toEqual([{ word: 'amet', count: 12_000 }, { word: 'dolor', count: 12_000 }]);
  }, 60_000);
});
