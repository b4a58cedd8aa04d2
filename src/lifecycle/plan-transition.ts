import type { PolicyConfig, ToolCandidate, ToolStatus, UserFeedback } from '../models/index.js';
import { IllegalTransitionError, UserError } from '../models/errors.js';
import { TRANSITIONS, isAllowedFrom, meetsTier, type LifecycleAction } from './transitions.js';

export interface Hashes {
  code_hash: string;
  spec_hash: string;
}

export interface TransitionContext {
  /** The hashes of the candidate's files on disk now. */
  current: Hashes;
  policy: PolicyConfig;
  now: Date;
  reviewer?: string | undefined;
  notes?: string | undefined;
  /** Who generated the candidate (from the audit log), for the self-approval rule. */
  author?: string | undefined;
}

export interface TransitionPlan {
  action: LifecycleAction;
  from: ToolStatus;
  next: ToolCandidate;
  actor: string;
}

/** Whether the files still hash to what the last validation saw. */
export function matchesReport(candidate: ToolCandidate, current: Hashes): boolean {
  const report = candidate.validation_report;
  return report !== null && report.code_hash === current.code_hash && report.spec_hash === current.spec_hash;
}

/**
 * The status that is really in force: a STAGED or APPROVED candidate whose files changed
 * since validation is back to DRAFT (SPEC 1), even before anything is written.
 */
export function effectiveStatus(candidate: ToolCandidate, current: Hashes): ToolStatus {
  if ((candidate.status === 'STAGED' || candidate.status === 'APPROVED') && !matchesReport(candidate, current)) return 'DRAFT';
  return candidate.status;
}

/** Approvals in force: distinct reviewers since the last rejection, of exactly these hashes. */
export function approvalsInForce(candidate: ToolCandidate, current: Hashes): UserFeedback[] {
  const lastReject = candidate.user_feedback.map((f) => f.decision).lastIndexOf('REJECTED');
  const seen = new Set<string>();
  return candidate.user_feedback.slice(lastReject + 1).filter((f) => {
    if (f.decision !== 'APPROVED' || f.code_hash !== current.code_hash || f.spec_hash !== current.spec_hash) return false;
    if (seen.has(f.reviewer)) return false;
    seen.add(f.reviewer);
    return true;
  });
}

function refuse(id: string, message: string, hint?: string): never {
  throw new IllegalTransitionError(`${id}: ${message}`, hint);
}

/**
 * Checks an action's guard (SPEC 1) and returns the candidate record as it will be after it.
 * Pure: no I/O; clock and hashes come in through the context.
 * @throws IllegalTransitionError (exit 1) when the guard refuses; UserError when input is missing
 */
export function planTransition(candidate: ToolCandidate, action: LifecycleAction, ctx: TransitionContext): TransitionPlan {
  const id = candidate.tool_id;
  const status = effectiveStatus(candidate, ctx.current);
  const changed = status !== candidate.status;
  if (!isAllowedFrom(action, status)) {
    const why = changed ? `its files changed since validation, so it is DRAFT again` : `it is ${status}`;
    const needs = TRANSITIONS[action].from.join(' or ');
    refuse(id, `cannot ${action}: ${why} (${action} needs ${needs})`, hintFor(id, status));
  }
  const actor = ctx.reviewer ?? 'unknown';
  if (action === 'stage') return { action, from: status, actor, next: planStage(candidate, ctx) };
  if (action === 'approve' || action === 'reject') return { action, from: status, actor, next: planReview(candidate, action, ctx) };
  if (action === 'promote') return { action, from: status, actor, next: planPromote(candidate, ctx) };
  return { action, from: status, actor, next: { ...candidate, status: 'DRAFT' } };
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

function planStage(candidate: ToolCandidate, ctx: TransitionContext): ToolCandidate {
  const id = candidate.tool_id;
  const report = candidate.validation_report;
  if (!report) refuse(id, 'cannot stage: it has never been validated', `run \`toolsmith validate ${id}\``);
  if (!matchesReport(candidate, ctx.current)) refuse(id, 'cannot stage: its files changed since the last validation', `run \`toolsmith validate ${id}\``);
  if (!report.is_valid) {
    const failed = (['schema_ok', 'typecheck_ok', 'tests_ok', 'sandbox_ok'] as const).filter((g) => !report[g]).join(', ');
    refuse(id, `cannot stage: the last validation failed (${failed})`, `see \`toolsmith show ${id}\`, fix, and validate again`);
  }
  const tier = report.code_metrics?.quality_tier ?? 'POOR';
  if (!meetsTier(tier, ctx.policy.min_tier)) {
    refuse(id, `cannot stage: quality tier ${tier} is below the required ${ctx.policy.min_tier}`, 'improve the tests or implementation (policy.min_tier sets the bar)');
  }
  return { ...candidate, status: 'STAGED' };
}

function planReview(candidate: ToolCandidate, action: 'approve' | 'reject', ctx: TransitionContext): ToolCandidate {
  const id = candidate.tool_id;
  const reviewer = ctx.reviewer?.trim();
  if (!reviewer) throw new UserError(`${action} needs a reviewer name`, `pass --reviewer NAME`);
  if (action === 'reject' && !ctx.notes?.trim()) throw new UserError('reject needs notes saying why', 'pass --notes "what must change"');
  if (action === 'approve' && !ctx.policy.allow_self_approval && ctx.author !== undefined && ctx.author === reviewer) {
    refuse(id, `cannot approve: ${reviewer} is its author and self-approval is off`, 'another reviewer approves it (policy.allow_self_approval)');
  }
  const inForce = approvalsInForce(candidate, ctx.current);
  if (action === 'approve' && inForce.some((f) => f.reviewer === reviewer)) {
    refuse(id, `cannot approve: ${reviewer} has already approved it`, `${ctx.policy.approvals_required} distinct reviewers are required`);
  }
  const feedback: UserFeedback = {
    decision: action === 'approve' ? 'APPROVED' : 'REJECTED',
    reviewer,
    notes: ctx.notes ?? '',
    timestamp: ctx.now.toISOString(),
    code_hash: ctx.current.code_hash,
    spec_hash: ctx.current.spec_hash,
  };
  const approvals = inForce.length + (action === 'approve' ? 1 : 0);
  const status: ToolStatus = action === 'reject' ? 'REJECTED' : approvals >= ctx.policy.approvals_required ? 'APPROVED' : 'STAGED';
  return { ...candidate, status, user_feedback: [...candidate.user_feedback, feedback] };
}

function planPromote(candidate: ToolCandidate, ctx: TransitionContext): ToolCandidate {
  const id = candidate.tool_id;
  const approvals = approvalsInForce(candidate, ctx.current);
  if (approvals.length < ctx.policy.approvals_required) {
    refuse(id, 'cannot promote: the files on disk are not the ones the reviewers approved', `run \`toolsmith validate ${id}\` and have it reviewed again`);
  }
  return { ...candidate, status: 'PROMOTED' };
}
