// Zod-free and pure: guards of SPEC 1 checked against the state the audit chain gives.
import type { AuditVerdict, ToolStatus } from '../models/index.js';
import { GATES } from '../models/gates.js';
import { IllegalTransitionError, UserError } from '../models/errors.js';
import type { AuditEntryInput } from '../stores/audit-log.js';
import { TRANSITIONS, isAllowedFrom, meetsTier, type LifecycleAction } from './transitions.js';
import { effectiveStatus, matchesValidation, type ChainState, type FoldOptions, type ReviewFact, type SignatureStatus } from './candidate-state.js';

export interface Hashes {
  code_hash: string;
  spec_hash: string;
}

export interface TransitionContext {
  /** The hashes of the candidate's files on disk now. */
  current: Hashes;
  policy: FoldOptions['policy'];
  now: Date;
  /** Who runs the command, normalised. */
  actor: string;
  /** approve / reject: who decides, normalised. */
  reviewer?: string | undefined;
  notes?: string | undefined;
  /** validate: the new report's verdict. */
  verdict?: AuditVerdict | undefined;
  /** approve / reject: the signature made for this review and what checking it gave. */
  signature?: { armored: string; status: SignatureStatus } | undefined;
}

export interface TransitionPlan {
  action: Exclude<LifecycleAction, 'promote'>;
  /** The status in force before (files on disk considered). */
  from: ToolStatus;
  /** Who runs the command: the line's actor (never the reviewer named). */
  actor: string;
  /** approve / reject: who decides, as the line records it. */
  reviewer?: string;
  /** The audit line to append (its `prev` is filled in under the registry lock). */
  entry: AuditEntryInput;
}

/** What promote does, once its guard passed: who promotes, and on whose approvals. */
export interface PromotionPlan {
  /** The status in force before (APPROVED; files on disk considered). */
  from: ToolStatus;
  /** Who runs promote: the promote line's actor. */
  actor: string;
  /** The approvals in force for these files: their reviewers become approved_by, their lines' hashes the line's approvals. */
  approvals: ReviewFact[];
}

function refuse(id: string, message: string, hint?: string): never {
  throw new IllegalTransitionError(`${id}: ${message}`, hint);
}

function hintFor(id: string, status: ToolStatus): string {
  switch (status) {
    case 'DRAFT':
      return `run \`toolsmith validate ${id}\` then \`toolsmith stage ${id}\``;
    case 'STAGED':
      return `a reviewer runs \`toolsmith approve ${id} --reviewer NAME\``;
    case 'APPROVED':
      return `run \`toolsmith promote ${id}\``;
    case 'REJECTED':
      return `fix it, then \`toolsmith validate ${id}\``;
    default:
      return `see \`toolsmith show ${id}\``;
  }
}

/** "1 valid approval of these files, 2 required; not counted: alice (unsigned ...)". */
export function describeApprovals(state: ChainState, policy: FoldOptions['policy']): string {
  const counted = state.approvals.length;
  const notCounted = state.reviews.filter((f) => f.record.action === 'approve' && !f.counts);
  const list = notCounted.map((f) => `${f.record.reviewer} (${f.why ?? 'does not count'})`).join('; ');
  return `${counted} valid approval${counted === 1 ? '' : 's'} of these files, ${policy.approvals_required} required${list ? `; not counted: ${list}` : ''}`;
}

/**
 * Refuses when the table does not allow the action from the status in force; returns that status.
 * @throws IllegalTransitionError
 */
export function assertTransitionAllowed(state: ChainState, action: LifecycleAction, ctx: Pick<TransitionContext, 'current' | 'policy'>): ToolStatus {
  const id = state.tool_id;
  const status = effectiveStatus(state, ctx.current);
  if (!isAllowedFrom(action, status)) {
    const why = status !== state.status ? `its files changed since validation, so it is DRAFT again` : `it is ${status}`;
    const needs = TRANSITIONS[action].from.join(' or ');
    const extra = action === 'promote' && status === 'STAGED' ? `: ${describeApprovals(state, ctx.policy)}` : '';
    refuse(id, `cannot ${action}: ${why} (${action} needs ${needs})${extra}`, hintFor(id, status));
  }
  return status;
}

/**
 * Checks an action's guard (SPEC 1) against the chain's state and returns the audit line
 * to append. Pure: no I/O; clock, hashes and signature results come in through the context.
 * @throws IllegalTransitionError (exit 1) when the guard refuses; UserError when input is missing
 */
export function planTransition(state: ChainState, action: Exclude<LifecycleAction, 'promote'>, ctx: TransitionContext): TransitionPlan {
  const from = assertTransitionAllowed(state, action, ctx);
  const actor = ctx.actor;
  const base = { ts: ctx.now.toISOString(), tool_id: state.tool_id, version: state.version ?? '0.0.0', actor, code_hash: ctx.current.code_hash, spec_hash: ctx.current.spec_hash };
  switch (action) {
    case 'validate':
      if (!ctx.verdict) throw new Error('planTransition(validate) needs the report verdict');
      return { action, from, actor, entry: { ...base, action, report: ctx.verdict } };
    case 'stage':
      checkStage(state, ctx);
      return { action, from, actor, entry: { ...base, action } };
    case 'approve':
    case 'reject': {
      const { reviewer, notes, signature } = checkReview(state, action, ctx);
      return { action, from, actor, reviewer, entry: { ...base, action, reviewer, notes, ...(signature ? { signature } : {}) } };
    }
  }
}

function checkStage(state: ChainState, ctx: TransitionContext): void {
  const id = state.tool_id;
  const v = state.validation;
  if (!v) refuse(id, 'cannot stage: it has never been validated', `run \`toolsmith validate ${id}\``);
  if (!matchesValidation(state, ctx.current)) refuse(id, 'cannot stage: its files changed since the last validation', `run \`toolsmith validate ${id}\``);
  if (!v.verdict.is_valid) {
    const failed = GATES.filter((g) => !v.verdict[g]).join(', ');
    refuse(id, `cannot stage: the last validation failed (${failed})`, `see \`toolsmith show ${id}\`, fix, and validate again`);
  }
  const tier = v.verdict.quality_tier ?? 'POOR';
  if (!meetsTier(tier, ctx.policy.min_tier)) {
    refuse(id, `cannot stage: quality tier ${tier} is below the required ${ctx.policy.min_tier}`, 'improve the tests or implementation (policy.min_tier sets the bar)');
  }
}

function checkReview(state: ChainState, action: 'approve' | 'reject', ctx: TransitionContext): { reviewer: string; notes: string; signature: string | undefined } {
  const id = state.tool_id;
  const reviewer = ctx.reviewer?.trim();
  if (!reviewer) throw new UserError(`${action} needs a reviewer name`, `pass --reviewer NAME`);
  if (action === 'reject' && !ctx.notes?.trim()) throw new UserError('reject needs notes saying why', 'pass --notes "what must change"');
  if (action === 'approve' && !ctx.policy.allow_self_approval && state.author !== null) {
    if (reviewer === state.author) refuse(id, `cannot approve: ${reviewer} is its author and self-approval is off`, 'another reviewer approves it (policy.allow_self_approval)');
    if (ctx.actor === state.author) refuse(id, `cannot approve: you (${ctx.actor}) are its author and self-approval is off, whoever you name as reviewer`, 'the reviewer runs `toolsmith approve` themselves (TOOLSMITH_ACTOR names who runs it)');
  }
  if (action === 'approve' && state.approvals.some((f) => f.record.reviewer === reviewer)) {
    refuse(id, `cannot approve: ${reviewer} has already approved it`, `${ctx.policy.approvals_required} distinct reviewers are required`);
  }
  const sig = ctx.signature;
  if (ctx.policy.allowed_signers && action === 'approve' && !sig) {
    throw new UserError(`approve needs --sign-key: policy.allowed_signers requires signed approvals`, `pass --sign-key ~/.ssh/id_ed25519 (or set TOOLSMITH_SIGN_KEY) with the key listed for ${reviewer} in ${ctx.policy.allowed_signers}`);
  }
  if (sig && (sig.status === 'bad' || (ctx.policy.allowed_signers && sig.status !== 'verified'))) {
    const why = sig.status === 'bad' ? 'the signature does not verify' : `the signing key is not listed for ${reviewer} in ${ctx.policy.allowed_signers ?? 'allowed_signers'}`;
    refuse(id, `cannot ${action}: ${why}`, `sign with the key listed for ${reviewer}, or add its public key to allowed_signers as \`${reviewer} ssh-ed25519 AAAA...\``);
  }
  return { reviewer, notes: ctx.notes ?? '', signature: sig?.armored };
}

export interface PromotionGuard {
  ok: boolean;
  /** Why the promotion is not governed (empty when ok). */
  reasons: string[];
  /** The approvals it counts. */
  counted: ReviewFact[];
}

/**
 * Item 1 of the governance rules: for exactly these hashes, the latest validation is valid
 * and meets policy.min_tier, the candidate was staged after a passing validation, and
 * policy.approvals_required distinct reviewers who are not the author approved (signed
 * where the policy says), with no reject since. Used by `promote` and by `verify` (on the
 * state just before each promote line).
 */
export function checkPromotionGuard(state: ChainState, hashes: Hashes, policy: FoldOptions['policy']): PromotionGuard {
  const reasons: string[] = [];
  const v = state.validation;
  if (!state.known) reasons.push('no generate line');
  if (!v) reasons.push('never validated');
  else {
    if (v.code_hash !== hashes.code_hash || v.spec_hash !== hashes.spec_hash) reasons.push('the last validation was of other files');
    if (!v.verdict.is_valid) reasons.push(`the last validation failed (${GATES.filter((g) => !v.verdict[g]).join(', ')})`);
    else if (!v.passes) reasons.push(`quality tier ${v.verdict.quality_tier ?? 'none'} is below ${policy.min_tier}`);
  }
  if (state.rejected) reasons.push(`rejected by ${state.rejected.record.reviewer} (line ${state.rejected.line})`);
  else if (!state.staged) reasons.push('never staged after a passing validation');
  if (state.approvals.length < policy.approvals_required) reasons.push(describeApprovals(state, policy));
  if (state.promoted) reasons.push(`already promoted (line ${state.promoted.line})`);
  return { ok: reasons.length === 0, reasons, counted: state.approvals };
}

/**
 * The promote guard for the candidate on disk: status APPROVED (table) and checkPromotionGuard.
 * @throws IllegalTransitionError naming what is missing
 */
export function planPromotion(state: ChainState, ctx: Pick<TransitionContext, 'current' | 'policy' | 'actor'>): PromotionPlan {
  const from = assertTransitionAllowed(state, 'promote', ctx);
  const guard = checkPromotionGuard(state, ctx.current, ctx.policy);
  if (!guard.ok) refuse(state.tool_id, `cannot promote: ${guard.reasons.join('; ')}`, hintFor(state.tool_id, 'STAGED'));
  return { from, actor: ctx.actor, approvals: guard.counted };
}
