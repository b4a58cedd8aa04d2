/**
 * planTransition (SPEC 1) as a table: every status x action, hash mismatches, tiers,
 * approvals, self-approval, and required reviewer/notes. Pure: no I/O, no mocks.
 */
import { describe, expect, it } from 'vitest';
import { planTransition, effectiveStatus, approvalsInForce, type Hashes, type TransitionContext } from '../../src/lifecycle/plan-transition.js';
import type { LifecycleAction } from '../../src/lifecycle/transitions.js';
import { IllegalTransitionError, UserError } from '../../src/models/errors.js';
import { PolicyConfig, ToolSpec } from '../../src/models/index.js';
import type { QualityTier, ToolCandidate, ToolStatus, UserFeedback, ValidationReport } from '../../src/models/index.js';
import { WORD_COUNT_SPEC } from '../helpers.js';

const HASHES: Hashes = { code_hash: 'c'.repeat(64), spec_hash: 's'.repeat(64) };
const OTHER: Hashes = { code_hash: 'd'.repeat(64), spec_hash: 's'.repeat(64) };
const NOW = new Date('2026-01-02T03:04:05.000Z');
const STATUSES: ToolStatus[] = ['DRAFT', 'STAGED', 'APPROVED', 'REJECTED', 'PROMOTED'];
const ACTIONS: LifecycleAction[] = ['validate', 'stage', 'approve', 'reject', 'promote'];
const TIERS: QualityTier[] = ['POOR', 'ACCEPTABLE', 'GOOD', 'EXCELLENT'];

function report(overrides: Partial<ValidationReport> = {}, tier: QualityTier = 'EXCELLENT'): ValidationReport {
  return {
    schema_ok: true,
    typecheck_ok: true,
    tests_ok: true,
    sandbox_ok: true,
    is_valid: true,
    logs: [],
    errors: [],
    code_metrics: {
      functional_correctness: { test_cases_passed: 1, test_cases_total: 1, test_case_pass_rate: 1, correctness_score: 1, test_results: [] },
      pass_at_k: { '1': 1 },
      test_pass_rate: 1,
      overall_score: 1,
      quality_tier: tier,
    },
    ...HASHES,
    validated_at: NOW.toISOString(),
    duration_ms: 1,
    ...overrides,
  };
}

function approval(reviewer: string, hashes: Hashes = HASHES, decision: UserFeedback['decision'] = 'APPROVED'): UserFeedback {
  return { decision, reviewer, notes: decision === 'REJECTED' ? 'no' : '', timestamp: NOW.toISOString(), ...hashes };
}

/** A candidate in `status` whose report matches HASHES (APPROVED ones carry alice's approval). */
function candidate(status: ToolStatus, overrides: Partial<ToolCandidate> = {}): ToolCandidate {
  return {
    tool_id: 'word_count',
    version: '1.0.0',
    spec: ToolSpec.parse(WORD_COUNT_SPEC),
    package_path: 'staged/word_count',
    ...HASHES,
    status,
    validation_report: report(),
    run_artifacts: null,
    user_feedback: status === 'APPROVED' ? [approval('alice')] : [],
    created_at: NOW.toISOString(),
    created_by: 'template:default',
    dependencies: [],
    ...overrides,
  };
}

function ctx(overrides: Partial<Omit<TransitionContext, 'policy'>> & { policy?: Partial<PolicyConfig> } = {}): TransitionContext {
  const { policy, ...rest } = overrides;
  return { current: HASHES, policy: PolicyConfig.parse(policy ?? {}), now: NOW, reviewer: 'bob', notes: 'notes', author: 'author', ...rest };
}

/** Where each action leads from each status, with a valid, current report and one approval in force; null = refused. */
const EXPECTED: Record<ToolStatus, Record<LifecycleAction, ToolStatus | null>> = {
  DRAFT: { validate: 'DRAFT', stage: 'STAGED', approve: null, reject: null, promote: null },
  STAGED: { validate: 'DRAFT', stage: null, approve: 'APPROVED', reject: 'REJECTED', promote: null },
  APPROVED: { validate: 'DRAFT', stage: null, approve: null, reject: null, promote: 'PROMOTED' },
  REJECTED: { validate: 'DRAFT', stage: null, approve: null, reject: null, promote: null },
  PROMOTED: { validate: null, stage: null, approve: null, reject: null, promote: null },
};

describe('planTransition: statuses x actions', () => {
  const rows = STATUSES.flatMap((status) => ACTIONS.map((action) => ({ status, action, to: EXPECTED[status][action] })));
  it.each(rows)('$action from $status -> $to', ({ status, action, to }) => {
    const before = candidate(status);
    const frozen = structuredClone(before);
    if (to === null) {
      expect(() => planTransition(before, action, ctx())).toThrow(IllegalTransitionError);
      expect(() => planTransition(before, action, ctx())).toThrow(new RegExp(`^word_count: cannot ${action}: it is ${status} \\(${action} needs `));
    } else {
      const plan = planTransition(before, action, ctx());
      expect(plan.action).toBe(action);
      expect(plan.from).toBe(status);
      expect(plan.next.status).toBe(to);
    }
    expect(before).toEqual(frozen); // pure: the input record is never mutated
  });

  it('records a review as user_feedback with the reviewer, notes, time and the hashes reviewed', () => {
    const approve = planTransition(candidate('STAGED'), 'approve', ctx({ notes: 'fine' }));
    expect(approve.next.user_feedback).toEqual([{ decision: 'APPROVED', reviewer: 'bob', notes: 'fine', timestamp: NOW.toISOString(), ...HASHES }]);
    expect(approve.actor).toBe('bob');
    const reject = planTransition(candidate('STAGED'), 'reject', ctx({ notes: 'handle tabs' }));
    expect(reject.next.user_feedback.at(-1)).toMatchObject({ decision: 'REJECTED', reviewer: 'bob', notes: 'handle tabs' });
  });
});

describe('planTransition: files changed since validation (hash mismatch) -> DRAFT', () => {
  for (const changed of [OTHER, { code_hash: HASHES.code_hash, spec_hash: 't'.repeat(64) }]) {
    const which = changed.code_hash !== HASHES.code_hash ? 'code_hash' : 'spec_hash';
    it(`a ${which} mismatch makes STAGED and APPROVED effectively DRAFT`, () => {
      expect(effectiveStatus(candidate('STAGED'), changed)).toBe('DRAFT');
      expect(effectiveStatus(candidate('APPROVED'), changed)).toBe('DRAFT');
      expect(effectiveStatus(candidate('REJECTED'), changed)).toBe('REJECTED');
      expect(effectiveStatus(candidate('STAGED'), HASHES)).toBe('STAGED');
      for (const [status, action] of [['STAGED', 'approve'], ['STAGED', 'reject'], ['APPROVED', 'promote']] as const) {
        expect(() => planTransition(candidate(status), action, ctx({ current: changed }))).toThrow(/its files changed since validation, so it is DRAFT again/);
      }
      expect(() => planTransition(candidate('DRAFT'), 'stage', ctx({ current: changed }))).toThrow(/cannot stage: its files changed since the last validation/);
      // validate is the way back, from any non-promoted status.
      expect(planTransition(candidate('APPROVED'), 'validate', ctx({ current: changed })).next.status).toBe('DRAFT');
      // stage from the effective DRAFT still needs a report of these files.
      expect(() => planTransition(candidate('STAGED'), 'stage', ctx({ current: changed }))).toThrow(/files changed since the last validation/);
    });
  }

  it('a candidate that was never validated cannot be staged, and a failed report names its gates', () => {
    expect(() => planTransition(candidate('DRAFT', { validation_report: null }), 'stage', ctx())).toThrow(/never been validated/);
    const failed = report({ tests_ok: false, sandbox_ok: false, is_valid: false });
    expect(() => planTransition(candidate('DRAFT', { validation_report: failed }), 'stage', ctx())).toThrow(/the last validation failed \(tests_ok, sandbox_ok\)/);
  });
});

describe('planTransition: quality tiers', () => {
  const rows = TIERS.flatMap((tier) => TIERS.map((min) => ({ tier, min, ok: TIERS.indexOf(tier) >= TIERS.indexOf(min) })));
  it.each(rows)('a $tier report with min_tier $min: staged = $ok', ({ tier, min, ok }) => {
    const c = candidate('DRAFT', { validation_report: report({}, tier) });
    const context = ctx({ policy: { min_tier: min } });
    if (ok) expect(planTransition(c, 'stage', context).next.status).toBe('STAGED');
    else expect(() => planTransition(c, 'stage', context)).toThrow(new RegExp(`quality tier ${tier} is below the required ${min}`));
  });

  it('a valid report without code metrics counts as POOR', () => {
    const c = candidate('DRAFT', { validation_report: report({ code_metrics: null }) });
    expect(() => planTransition(c, 'stage', ctx({ policy: { min_tier: 'ACCEPTABLE' } }))).toThrow(/quality tier POOR/);
    expect(planTransition(c, 'stage', ctx({ policy: { min_tier: 'POOR' } })).next.status).toBe('STAGED');
  });
});

describe('planTransition: approvals', () => {
  const two = { policy: { approvals_required: 2 } };

  it('with approvals_required 2: one approval keeps STAGED, the same reviewer is refused, a second reviewer approves', () => {
    const first = planTransition(candidate('STAGED'), 'approve', ctx({ ...two, reviewer: 'alice' }));
    expect(first.next.status).toBe('STAGED');
    expect(() => planTransition(first.next, 'approve', ctx({ ...two, reviewer: 'alice' }))).toThrow(/alice has already approved it/);
    expect(() => planTransition(first.next, 'promote', ctx(two))).toThrow(/cannot promote: it is STAGED/);
    const second = planTransition(first.next, 'approve', ctx({ ...two, reviewer: 'bob' }));
    expect(second.next.status).toBe('APPROVED');
    expect(planTransition(second.next, 'promote', ctx(two)).next.status).toBe('PROMOTED');
  });

  it('approvals before a rejection and approvals of other hashes are not in force', () => {
    const rejected = candidate('STAGED', { user_feedback: [approval('alice'), approval('carol', HASHES, 'REJECTED')] });
    expect(approvalsInForce(rejected, HASHES)).toEqual([]);
    expect(planTransition(rejected, 'approve', ctx({ ...two, reviewer: 'alice' })).next.status).toBe('STAGED');

    const stale = candidate('STAGED', { user_feedback: [approval('alice', OTHER)] });
    expect(approvalsInForce(stale, HASHES)).toEqual([]);
    expect(planTransition(stale, 'approve', ctx({ ...two, reviewer: 'alice' })).next.status).toBe('STAGED');

    const dup = candidate('STAGED', { user_feedback: [approval('alice'), approval('alice'), approval('bob')] });
    expect(approvalsInForce(dup, HASHES).map((f) => f.reviewer)).toEqual(['alice', 'bob']);
  });

  it('promote needs enough approvals of exactly the files on disk', () => {
    const approvedOther = candidate('APPROVED', { user_feedback: [approval('alice', OTHER)] });
    expect(() => planTransition(approvedOther, 'promote', ctx())).toThrow(/not the ones the reviewers approved/);
    const oneOfTwo = candidate('APPROVED');
    expect(() => planTransition(oneOfTwo, 'promote', ctx(two))).toThrow(/not the ones the reviewers approved/);
  });

  it('self-approval is refused by default and allowed by policy', () => {
    expect(() => planTransition(candidate('STAGED'), 'approve', ctx({ reviewer: 'author', author: 'author' }))).toThrow(/author is its author and self-approval is off/);
    expect(planTransition(candidate('STAGED'), 'approve', ctx({ reviewer: 'author', author: 'author', policy: { allow_self_approval: true } })).next.status).toBe('APPROVED');
    // The author may reject their own candidate.
    expect(planTransition(candidate('STAGED'), 'reject', ctx({ reviewer: 'author', author: 'author' })).next.status).toBe('REJECTED');
  });

  it('a reviewer name is required, and notes for a reject (UserError, not a refusal)', () => {
    for (const reviewer of [undefined, '', '   ']) {
      const error = captureError(() => planTransition(candidate('STAGED'), 'approve', ctx({ reviewer })));
      expect(error).toBeInstanceOf(UserError);
      expect(error).not.toBeInstanceOf(IllegalTransitionError);
      expect((error as Error).message).toMatch(/needs a reviewer/);
    }
    for (const notes of [undefined, '', '  ']) {
      const error = captureError(() => planTransition(candidate('STAGED'), 'reject', ctx({ notes })));
      expect(error).toBeInstanceOf(UserError);
      expect(error).not.toBeInstanceOf(IllegalTransitionError);
      expect((error as Error).message).toMatch(/notes/);
    }
  });
});

function captureError(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error');
}
