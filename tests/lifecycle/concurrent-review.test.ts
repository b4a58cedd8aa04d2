/**
 * The guard is checked again under the registry lock, against the chain as it is then: two
 * approvals racing for the one approval required cannot both land. In-process, through the
 * core function (the workspace is prepared once through the binary, which validates).
 */
import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyCandidateTransition } from '../../src/lifecycle/apply-transition.js';
import { IllegalTransitionError } from '../../src/models/errors.js';
import { createWorkspace, writeSpec, WORD_COUNT_IMPL, WORD_COUNT_SPEC, WORD_COUNT_TESTS } from '../helpers.js';
import { implement, ok } from '../e2e/e2e-helpers.js';

const ID = 'word_count';
let ws: string;
beforeAll(() => {
  ws = createWorkspace();
  ok(ws, ['generate', '--spec', writeSpec(ws, WORD_COUNT_SPEC)]);
  implement(ws, ID, WORD_COUNT_IMPL, WORD_COUNT_TESTS);
  ok(ws, ['validate', ID]);
  ok(ws, ['stage', ID]);
}, 120_000);
afterAll(() => rmSync(ws, { recursive: true, force: true }));

describe('concurrent approvals', () => {
  it('two reviewers racing for one required approval: one lands, the other is refused (it is APPROVED)', async () => {
    const approve = (who: string) => applyCandidateTransition('approve', { cwd: ws, toolId: ID, reviewer: who, actor: who, env: {} });
    const results = await Promise.allSettled([approve('alice'), approve('bob'), approve('carol')]);
    const landed = results.filter((r) => r.status === 'fulfilled');
    const refused = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(landed).toHaveLength(1);
    expect(refused).toHaveLength(2);
    for (const r of refused) {
      expect(r.reason).toBeInstanceOf(IllegalTransitionError);
      expect((r.reason as Error).message).toMatch(/^word_count: cannot approve: it is APPROVED/);
    }
    const lines = readFileSync(path.join(ws, 'registry/audit.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { action: string });
    expect(lines.filter((l) => l.action === 'approve')).toHaveLength(1);
  });
});
