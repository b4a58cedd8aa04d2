/**
 * The plan carries who acted (issue 10 item 4): the actor is the one who runs the command,
 * the reviewer is who decides, and a promotion plan carries the approvals in force, which
 * promote turns into approved_by. Pure: states folded from synthetic audit lines.
 */
import { describe, expect, it } from 'vitest';
import { planPromotion, planTransition, type TransitionContext } from '../../src/lifecycle/plan-transition.js';
import { HASHES, NOW, POLICY, approve, fold, gen, reject, stage, val, verdict } from './chain-fixtures.js';

const ctx = (overrides: Partial<TransitionContext> = {}): TransitionContext => ({ current: HASHES, policy: POLICY, now: NOW, actor: 'carol', ...overrides });

describe('TransitionPlan: actor and reviewer', () => {
  it('a review run by one person naming another keeps them apart, in the plan as in its line', () => {
    const state = fold([gen(), val(), stage()]).state;
    const plan = planTransition(state, 'approve', ctx({ actor: 'carol', reviewer: 'bob', notes: 'fine' }));
    expect(plan).toMatchObject({ actor: 'carol', reviewer: 'bob', entry: { actor: 'carol', reviewer: 'bob' } });
  });

  it('validate and stage plans carry the actor and no reviewer, whatever reviewer the context holds', () => {
    const state = fold([gen(), val()]).state;
    for (const action of ['validate', 'stage'] as const) {
      const plan = planTransition(state, action, ctx({ actor: 'dave', reviewer: 'bob', verdict: verdict() }));
      expect(plan.actor).toBe('dave');
      expect(plan.reviewer).toBeUndefined();
      expect(plan.entry.actor).toBe('dave');
    }
  });
});

describe('PromotionPlan: actor and the approvals in force', () => {
  it('carries who promotes and the approvals it counts (their reviewers, never the actor or a rejecter)', () => {
    const state = fold([gen(), val(), stage(), approve('alice', { actor: 'root' }), approve('bob')], { approvals_required: 2 }).state;
    const plan = planPromotion(state, { current: HASHES, policy: { ...POLICY, approvals_required: 2 }, actor: 'erin' });
    expect(plan.from).toBe('APPROVED');
    expect(plan.actor).toBe('erin');
    expect(plan.approvals.map((f) => f.record.reviewer)).toEqual(['alice', 'bob']);
  });

  it('approvals made void by a reject are not in force: after a reject and re-review only the new approval counts', () => {
    const lines = [gen(), val(), stage(), approve('alice'), reject('carol'), val(), stage(), approve('bob')];
    const plan = planPromotion(fold(lines).state, { current: HASHES, policy: POLICY, actor: 'erin' });
    expect(plan.approvals.map((f) => f.record.reviewer)).toEqual(['bob']);
  });
});
