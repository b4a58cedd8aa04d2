/**
 * openCandidate reads spec.json once, after the package listing refused special files: a
 * FIFO named spec.json makes the candidate broken (one line naming it) instead of blocking
 * validate for ever on a read that waits for a writer.
 */
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateCandidate } from '../../src/lifecycle/generate.js';
import { validateCandidates } from '../../src/lifecycle/validate.js';
import { templateBackend } from '../../src/generate/template-backend.js';
import { defaultTemplatesDir } from '../../src/generate/templates-dir.js';
import { initWorkspace } from '../../src/workspace/init-workspace.js';
import { tempDir, WORD_COUNT_SPEC } from '../helpers.js';

describe('openCandidate and a FIFO spec.json', () => {
  it('validate reports the candidate broken, naming the FIFO, and does not block', async () => {
    const ws = tempDir('toolsmith-open-fifo-');
    await initWorkspace({ dir: ws });
    await generateCandidate({ cwd: ws, spec: structuredClone(WORD_COUNT_SPEC) as never, backend: templateBackend, templatesDir: defaultTemplatesDir(), actor: 'author', now: () => new Date('2026-01-01T00:00:00Z') });
    const spec = path.join(ws, 'staged', 'word_count', 'spec.json');
    rmSync(spec);
    execFileSync('mkfifo', [spec]);
    const result = await validateCandidates({ cwd: ws, ids: ['word_count'], actor: 'author' });
    expect(result.candidates).toEqual([]);
    expect(result.all_valid).toBe(false);
    expect(result.broken).toHaveLength(1);
    expect(result.broken[0]?.problem).toMatch(/spec\.json is a FIFO \(named pipe\), not a regular file/);
    rmSync(spec);
  });
});
