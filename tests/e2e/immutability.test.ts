/** A promoted version stays immutable after newer versions are promoted. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createWorkspace, prepare, promoteTool, writeSpec, WORD_COUNT_IMPL, WORD_COUNT_SPEC, WORD_COUNT_TESTS } from '../helpers.js';
import { expectRefusedUnchanged, implement, ok, toolsmithJson } from './e2e-helpers.js';

const ID = WORD_COUNT_SPEC.tool_name;

describe('immutable versions', () => {
  it('an older promoted version cannot be re-promoted with other content once a newer one is current', async () => {
    const ws = createWorkspace();
    await promoteTool(ws, WORD_COUNT_SPEC, WORD_COUNT_IMPL, WORD_COUNT_TESTS);
    const specFile = writeSpec(ws, WORD_COUNT_SPEC);
    // 1.0.1 with new content, promoted normally.
    expect(toolsmithJson(ws, ['generate', '--spec', specFile]).json.version).toBe('1.0.1');
    implement(ws, ID, WORD_COUNT_IMPL.replace('counting words', 'counting words v2'), WORD_COUNT_TESTS);
    for (const args of [['validate', ID], ['stage', ID], ['approve', ID, '--reviewer', 'reviewer'], ['promote', ID]]) await prepare(ws, args);
    const original = readFileSync(path.join(ws, 'registry/tools', ID, '1.0.0', 'index.ts'), 'utf8');

    // A third content labelled 1.0.0 (generate --tool-version: the generate line fixes the version) must not replace the frozen 1.0.0.
    expect(toolsmithJson(ws, ['generate', '--spec', specFile, '--tool-version', '1.0.0']).json.version).toBe('1.0.0');
    implement(ws, ID, WORD_COUNT_IMPL.replace('counting words', 'counting words v3'), WORD_COUNT_TESTS);
    for (const args of [['validate', ID], ['stage', ID], ['approve', ID, '--reviewer', 'reviewer']]) await prepare(ws, args);
    expectRefusedUnchanged(ws, ['promote', ID], 1, /version 1\.0\.0 is already promoted with other content/);
    expect(readFileSync(path.join(ws, 'registry/tools', ID, '1.0.0', 'index.ts'), 'utf8')).toBe(original);
    expect(toolsmithJson(ws, ['verify']).json.ok).toBe(true);
  });
});
