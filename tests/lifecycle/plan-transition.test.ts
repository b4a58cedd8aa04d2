/**
 * planTransition (SPEC 1) as a table over states the audit chain gives: every status x
 * action, hash mismatches, tiers, approvals, self-approval by either name, signatures, and
 * required reviewer/notes. Pure: states are folded from synthetic audit lines, no I/O.
 */
import { describe, expect, it } from 'vitest';
import { planTransition, planPromotion, checkPromotionGuard, type TransitionContext } from '../../src/lifecycle/plan-transition.js';
import { effectiveStatus, type ChainState } from '../../src/lifecycle/candidate-state.js';
import type { LifecycleAction } from '../../src/lifecycle/transitions.js';
import { IllegalTransitionError, UserError } from '../../src/models/errors.js';
import type { QualityTier, ToolStatus } from '../../src/models/index.js';
import type { AuditEntryInput } from '../../src/stores/audit-log.js';
import { HASHES, NOW, OTHER, POLICY, approve, fold, gen, promote, reject, stage, val, verdict, type Policy } from './chain-fixtures.js';

const STATUSES: ToolStatus[] = ['DRAFT', 'STAGED', 'APPROVED', 'REJECTED', 'PROMOTED'];
const ACTIONS: LifecycleAction[] = ['validate', 'stage', 'approve', 'reject', 'promote'];
const TIERS: QualityTier[] = ['POOR', 'ACCEPTABLE', 'GOOD', 'EXCELLENT'];

/** The audit lines that put a candidate in each status (a passing validation of HASHES). */
const LINES: Record<ToolStatus, AuditEntryInput[]> = {
  DRAFT: [gen(), val()],
  STAGED: [gen(), val(), stage()],
  APPROVED: [gen(), val(), stage(), approve('alice')],
  REJECTED: [gen(), val(), stage(), reject('carol')],
  PROMOTED: [gen(), val(), stage(), approve('alice'), promote()],
};

function state(lines: AuditEntryInput[], policy: Partial<Policy> = {}): ChainState {
  return fold(lines, policy).state;
}

function ctx(overrides: Partial<Omit<TransitionContext, 'policy'>> & { policy?: Partial<Policy> } = {}): TransitionContext {
  const { policy, ...rest } = overrides;
  return { current: HASHES, policy: { ...POLICY, ...policy }, now: NOW, actor: 'bob', reviewer: 'bob', notes: 'notes', verdict: verdict(), ...rest };
}

/** Plans an action and folds its line in: the status the chain then gives. */
function applyAction(lines: AuditEntryInput[], action: LifecycleAction, context: TransitionContext = ctx()): ToolStatus {
  const s = state(lines, context.policy);
  if (action === 'promote') {
    planPromotion(s, context);
    return fold([...lines, promote(context.current)], context.policy).state.status;
  }
  const plan = planTransition(s, action, context);
  return fold([...lines, plan.entry], context.policy).state.status;
}

/** Where each action leads from each status, with a valid, current validation and one approval in force; null = refused. */
const EXPECTED: Record<ToolStatus, Record<LifecycleAction, ToolStatus | null>> = {
  DRAFT: { validate: 'DRAFT', stage: 'STAGED', approve: null, reject: null, promote: null },
  // Re-validating identical files keeps the status (and approvals): issue 8, item 7.
  STAGED: { validate: 'STAGED', stage: null, approve: 'APPROVED', reject: 'REJECTED', promote: null },
  APPROVED: { validate: 'APPROVED', stage: null, approve: null, reject: null, promote: 'PROMOTED' },
  REJECTED: { validate: 'DRAFT', stage: null, approve: null, reject: null, promote: null },
  PROMOTED: { validate: null, stage: null, approve: null, reject: null, promote: null },
};

describe('planTransition: statuses x actions (states folded from the audit chain)', () => {
  const rows = STATUSES.flatMap((status) => ACTIONS.map((action) => ({ status, action, to: EXPECTED[status][action] })));
  it.each(rows)('$action from $status -> $to', ({ status, action, to }) => {
    expect(state(LINES[status]).status).toBe(status);
    if (to === null) {
      expect(() => applyAction(LINES[status], action)).toThrow(IllegalTransitionError);
      expect(() => applyAction(LINES[status], action)).toThrow(new RegExp(`^word_count: cannot ${action}: it is ${status} \\(${action} needs `));
    } else {
      expect(applyAction(LINES[status], action)).toBe(to);
    }
  });

  it('an approve line records reviewer and actor apart, the notes, the time and the hashes reviewed', () => {
    const plan = planTransition(state(LINES.STAGED), 'approve', ctx({ actor: 'carol', reviewer: 'bob', notes: 'fine' }));
    expect(plan.entry).toEqual({ ts: NOW.toISOString(), action: 'approve', tool_id: 'word_count', version: '1.0.0', actor: 'carol', reviewer: 'bob', notes: 'fine', ...HASHES });
    const r = planTransition(state(LINES.STAGED), 'reject', ctx({ notes: 'handle tabs' }));
    expect(r.entry).toMatchObject({ action: 'reject', reviewer: 'bob', notes: 'handle tabs' });
  });
});

describe('planTransition: files changed since validation (hash mismatch) -> DRAFT', () => {
  for (const changed of [OTHER, { code_hash: HASHES.code_hash, spec_hash: 't'.repeat(64) }]) {
    const which = changed.code_hash !== HASHES.code_hash ? 'code_hash' : 'spec_hash';
    it(`a ${which} mismatch makes STAGED and APPROVED effectively DRAFT`, () => {
      expect(effectiveStatus(state(LINES.STAGED), changed)).toBe('DRAFT');
      expect(effectiveStatus(state(LINES.APPROVED), changed)).toBe('DRAFT');
      expect(effectiveStatus(state(LINES.REJECTED), changed)).toBe('REJECTED');
      expect(effectiveStatus(state(LINES.STAGED), HASHES)).toBe('STAGED');
      for (const [status, action] of [['STAGED', 'approve'], ['STAGED', 'reject'], ['APPROVED', 'promote']] as const) {
        expect(() => applyAction(LINES[status], action, ctx({ current: changed }))).toThrow(/its files changed since validation, so it is DRAFT again/);
      }
      expect(() => applyAction(LINES.DRAFT, 'stage', ctx({ current: changed }))).toThrow(/cannot stage: its files changed since the last validation/);
      // validate is the way back, from any non-promoted status; new files void the approvals.
      const after = fold([...LINES.APPROVED, planTransition(state(LINES.APPROVED), 'validate', ctx({ current: changed })).entry]).state;
      expect(after.status).toBe('DRAFT');
      expect(after.voided).toBe(1);
      expect(after.approvals).toEqual([]);
      expect(() => applyAction(LINES.STAGED, 'stage', ctx({ current: changed }))).toThrow(/files changed since the last validation/);
    });
  }

  it('a candidate that was never validated cannot be staged, and a failed verdict names its gates (scan included)', () => {
    expect(() => applyAction([gen()], 'stage')).toThrow(/never been validated/);
    const failed = [gen(), val(HASHES, verdict({ tests_ok: false, scan_ok: false, is_valid: false }))];
    expect(() => applyAction(failed, 'stage')).toThrow(/the last validation failed \(tests_ok, scan_ok\)/);
  });
});

describe('re-validation (item 7)', () => {
  it('identical files re-validated keep the approvals; a failing verdict makes it DRAFT, a passing one restores it', () => {
    const kept = fold([...LINES.APPROVED, val()]).state;
    expect(kept.status).toBe('APPROVED');
    expect(kept.approvals.map((f) => f.record.reviewer)).toEqual(['alice']);
    expect(kept.voided).toBe(0);
    const flaky = fold([...LINES.APPROVED, val(HASHES, verdict({ tests_ok: false, is_valid: false }))]).state;
    expect(flaky.status).toBe('DRAFT');
    expect(() => planPromotion(flaky, ctx())).toThrow(/cannot promote: it is DRAFT/);
    expect(fold([...LINES.APPROVED, val(HASHES, verdict({ tests_ok: false, is_valid: false })), val()]).state.status).toBe('APPROVED');
  });

  it('a reject then a re-validation of the same files starts afresh: the earlier approvals stay void', () => {
    const s = fold([gen(), val(), stage(), approve('alice'), reject('carol'), val(), stage()], { approvals_required: 1 }).state;
    expect(s.status).toBe('STAGED');
    expect(s.approvals).toEqual([]);
  });

  it('a line naming another version than its generate line is a chain problem, and has no effect', () => {
    const history = fold([gen(), { ...val(), version: '9.9.9' }]);
    expect(history.problems).toEqual([{ line: 2, message: 'validate of word_count names version 9.9.9, but it was generated as 1.0.0' }]);
    expect(history.state.validation).toBeNull();
    expect(fold([val()]).problems).toEqual([{ line: 1, message: 'validate of word_count before any generate line' }]);
  });

  it('a new generate starts a new epoch: approvals of earlier epochs never count', () => {
    const history = fold([...LINES.APPROVED, gen('author', HASHES, '1.0.1'), { ...val(), version: '1.0.1' }, { ...stage(), version: '1.0.1' }]);
    expect(history.problems).toEqual([]);
    const s = history.state;
    expect(s.version).toBe('1.0.1');
    expect(s.status).toBe('STAGED');
    expect(s.approvals).toEqual([]);
  });
});

describe('planTransition: quality tiers', () => {
  const rows = TIERS.flatMap((tier) => TIERS.map((min) => ({ tier, min, ok: TIERS.indexOf(tier) >= TIERS.indexOf(min) })));
  it.each(rows)('a $tier verdict with min_tier $min: staged = $ok', ({ tier, min, ok }) => {
    const lines = [gen(), val(HASHES, verdict({}, tier))];
    const context = ctx({ policy: { min_tier: min } });
    if (ok) expect(applyAction(lines, 'stage', context)).toBe('STAGED');
    else expect(() => applyAction(lines, 'stage', context)).toThrow(new RegExp(`quality tier ${tier} is below the required ${min}`));
  });

  it('a valid verdict without a tier counts as POOR', () => {
    const lines = [gen(), val(HASHES, verdict({}, null))];
    expect(() => applyAction(lines, 'stage', ctx({ policy: { min_tier: 'ACCEPTABLE' } }))).toThrow(/quality tier POOR/);
    expect(() => applyAction(lines, 'stage', ctx({ policy: { min_tier: 'POOR' } }))).not.toThrow();
  });
});

describe('planTransition: approvals', () => {
  const two = { policy: { approvals_required: 2 } };

  it('with approvals_required 2: one approval keeps STAGED, the same reviewer is refused, a second reviewer approves', () => {
    const first = [...LINES.STAGED, approve('alice')];
    expect(state(first, two.policy).status).toBe('STAGED');
    expect(() => applyAction(first, 'approve', ctx({ ...two, reviewer: 'alice', actor: 'alice' }))).toThrow(/alice has already approved it/);
    expect(() => applyAction(first, 'promote', ctx(two))).toThrow(/cannot promote: it is STAGED \(promote needs APPROVED\): 1 valid approval of these files, 2 required/);
    expect(applyAction(first, 'approve', ctx({ ...two, reviewer: 'bob' }))).toBe('APPROVED');
    expect(applyAction([...first, approve('bob')], 'promote', ctx(two))).toBe('PROMOTED');
  });

  it('approvals before a rejection, of other hashes, or by the same reviewer twice do not count', () => {
    expect(state([...LINES.STAGED, approve('alice'), approve('alice'), approve('bob')], { approvals_required: 3 }).approvals.map((f) => f.record.reviewer)).toEqual(['alice', 'bob']);
    const s = fold([...LINES.STAGED, approve('alice', { hashes: OTHER })], { approvals_required: 1 });
    expect(s.state.approvals).toEqual([]);
    expect(s.state.anomalies.map((a) => a.message)).toEqual([expect.stringMatching(/approve while the candidate was STAGED, not STAGED with these hashes/)]);
  });

  it('self-approval is refused when either the reviewer or the actor is the author, and allowed by policy', () => {
    expect(() => applyAction(LINES.STAGED, 'approve', ctx({ reviewer: 'author', actor: 'bob' }))).toThrow(/author is its author and self-approval is off/);
    expect(() => applyAction(LINES.STAGED, 'approve', ctx({ reviewer: 'alice', actor: 'author' }))).toThrow(/you \(author\) are its author/);
    expect(applyAction(LINES.STAGED, 'approve', ctx({ reviewer: 'author', actor: 'author', policy: { allow_self_approval: true } }))).toBe('APPROVED');
    // The author may reject their own candidate.
    expect(applyAction(LINES.STAGED, 'reject', ctx({ reviewer: 'author', actor: 'author' }))).toBe('REJECTED');
    // A self-approval that reached the chain (forged, or allowed then) does not count when the policy says no.
    expect(state([...LINES.STAGED, approve('alice', { actor: 'author' })]).approvals).toEqual([]);
    expect(state([...LINES.STAGED, approve('author')]).status).toBe('STAGED');
  });

  it('a reviewer name is required, and notes for a reject (UserError, not a refusal)', () => {
    for (const reviewer of [undefined, '', '   ']) {
      const error = captureError(() => planTransition(state(LINES.STAGED), 'approve', ctx({ reviewer })));
      expect(error).toBeInstanceOf(UserError);
      expect(error).not.toBeInstanceOf(IllegalTransitionError);
      expect((error as Error).message).toMatch(/needs a reviewer/);
    }
    for (const notes of [undefined, '', '  ']) {
      const error = captureError(() => planTransition(state(LINES.STAGED), 'reject', ctx({ notes })));
      expect(error).toBeInstanceOf(UserError);
      expect(error).not.toBeInstanceOf(IllegalTransitionError);
      expect((error as Error).message).toMatch(/notes/);
    }
  });
});

describe('signatures and policy.allowed_signers', () => {
  const signed = { policy: { allowed_signers: 'allowed_signers' } };
  const sig = '-----BEGIN SSH SIGNATURE-----\nAAAA\n-----END SSH SIGNATURE-----';

  it('approve without a signature is a usage error; an unlisted or bad signature is refused', () => {
    expect(() => planTransition(state(LINES.STAGED), 'approve', ctx(signed))).toThrow(/approve needs --sign-key/);
    expect(() => planTransition(state(LINES.STAGED), 'approve', ctx({ ...signed, signature: { armored: sig, status: 'unlisted' } }))).toThrow(/not listed for bob/);
    expect(() => planTransition(state(LINES.STAGED), 'approve', ctx({ signature: { armored: sig, status: 'bad' } }))).toThrow(/does not verify/);
    const plan = planTransition(state(LINES.STAGED), 'approve', ctx({ ...signed, signature: { armored: sig, status: 'verified' } }));
    expect(plan.entry).toMatchObject({ action: 'approve', signature: sig });
  });

  it.each([
    ['verified', true, true],
    ['unsigned', false, true],
    ['unlisted', false, true],
    ['bad', false, false],
    ['signed', false, true],
  ] as const)('an approval whose signature is %s counts with allowed_signers: %s, without: %s', (status, withPolicy, without) => {
    const lines = [...LINES.STAGED, approve('alice', status === 'unsigned' ? {} : { signature: sig })];
    const signatures = (entries: { hash: string }[]) => new Map(status === 'unsigned' ? [] : [[entries.at(-1)!.hash, status]]);
    expect(fold(lines, signed.policy, signatures).state.approvals.length).toBe(withPolicy ? 1 : 0);
    expect(fold(lines, {}, signatures).state.approvals.length).toBe(without ? 1 : 0);
    if (!withPolicy) {
      const s = fold(lines, signed.policy, signatures).state;
      expect(() => planPromotion(s, ctx(signed))).toThrow(/0 valid approvals of these files, 1 required; not counted: alice/);
    }
  });
});

describe('checkPromotionGuard (what verify re-checks before every promote line)', () => {
  it('names every missing requirement', () => {
    expect(checkPromotionGuard(state(LINES.APPROVED), HASHES, POLICY)).toMatchObject({ ok: true, reasons: [] });
    expect(checkPromotionGuard(state([gen()]), HASHES, POLICY).reasons).toEqual(['never validated', 'never staged after a passing validation', '0 valid approvals of these files, 1 required']);
    expect(checkPromotionGuard(state([gen(), val(HASHES, verdict({ is_valid: false, tests_ok: false }, 'POOR')), approve('alice')]), HASHES, POLICY).reasons).toEqual([
      'the last validation failed (tests_ok)',
      'never staged after a passing validation',
      expect.stringMatching(/^0 valid approvals/),
    ]);
    expect(checkPromotionGuard(state(LINES.APPROVED), OTHER, POLICY).reasons).toEqual(['the last validation was of other files']);
    expect(checkPromotionGuard(state(LINES.REJECTED), HASHES, POLICY).reasons).toEqual([expect.stringMatching(/^rejected by carol/), expect.stringMatching(/^0 valid approvals/)]);
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
