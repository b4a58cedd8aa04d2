import path from 'node:path';
import type { ToolCandidate, ToolStatus } from '../models/index.js';
import { assertIdentity } from '../stores/identity.js';
import { openWorkspace, type CommandOptions } from '../workspace/open-workspace.js';
import { planTransition } from './plan-transition.js';
import { openCandidate } from './open-candidate.js';
import { commitCandidateLine, writeCandidateCache } from './commit-line.js';
import { resolveActor } from './resolve-actor.js';
import type { LifecycleAction } from './transitions.js';
import type { SignatureStatus } from './candidate-state.js';
import { describeApprovals } from './plan-transition.js';
import { IllegalTransitionError } from '../models/errors.js';
import { AUDIT_GENESIS, type AuditEntry } from '../stores/audit-log.js';

/** SHA-256 of the tool's latest audit line (what a signed review is bound to). */
function lastToolLineHash(entries: readonly AuditEntry[], toolId: string): string {
  for (let i = entries.length - 1; i >= 0; i--) if (entries[i]?.record.tool_id === toolId) return entries[i]?.hash ?? AUDIT_GENESIS;
  return AUDIT_GENESIS;
}

export interface TransitionOptions extends CommandOptions {
  toolId: string;
  reviewer?: string | undefined;
  notes?: string | undefined;
  /** approve / reject / promote: an SSH private key to sign with (`--sign-key`, else TOOLSMITH_SIGN_KEY). */
  signKey?: string | undefined;
}

export interface TransitionResult {
  tool_id: string;
  action: LifecycleAction;
  from: ToolStatus;
  to: ToolStatus;
  candidate: ToolCandidate;
  /** The normalised actor and, for reviews, reviewer written in the audit line. */
  actor: string;
  reviewer?: string;
  /** approve / reject: what the signature is worth (unsigned when none was made). */
  signature?: SignatureStatus;
  /** "1 valid approval of these files, 2 required". */
  approvals?: string;
  warnings: string[];
}

/** The signing key: --sign-key, else TOOLSMITH_SIGN_KEY; resolved against the working folder. */
export function resolveSignKey(options: TransitionOptions): { file: string; shownAs: string } | null {
  const env = options.env ?? process.env;
  const given = options.signKey ?? (env['TOOLSMITH_SIGN_KEY'] || undefined);
  if (!given) return null;
  return { file: path.resolve(options.cwd, given), shownAs: given };
}

/**
 * Applies stage, approve and reject (validate and promote have their own files): plan under
 * the guard against the audit chain (nothing written on refusal), sign when a key is given,
 * then append the audit line (the decision) and rewrite candidate.json (the cache).
 * @throws IllegalTransitionError, IntegrityError (exit 1); UserError (exit 2)
 */
export async function applyCandidateTransition(action: 'stage' | 'approve' | 'reject', options: TransitionOptions): Promise<TransitionResult> {
  const open = await openWorkspace(options);
  const actor = resolveActor(options, open);
  const reviewer = action === 'stage' ? undefined : assertIdentity(options.reviewer ?? '', '--reviewer');
  const ctx = await openCandidate(open, options.toolId, { strict: true, checkSignatures: true, cwd: options.cwd });
  const at = open.now();
  const policy = open.config.policy;
  const key = action === 'stage' ? null : resolveSignKey(options);
  let signature: { armored: string; status: SignatureStatus } | undefined;
  // The signed statement names the tool's last audit line: the history the reviewer saw.
  const after = lastToolLineHash(ctx.chain.entries, ctx.id);
  const base = { current: ctx.current, policy, now: at, actor, reviewer, notes: options.notes };
  // Refuse before asking for a passphrase: plan once unsigned (the signature requirement aside).
  const first = planTransition(ctx.history.state, action, { ...base, policy: key ? { ...policy, allowed_signers: null } : policy });
  if (key && reviewer !== undefined && (first.entry.action === 'approve' || first.entry.action === 'reject')) {
    const { reviewStatementBytes, checkOneSignature } = await import('./review-signatures.js');
    const { signBytes } = await import('../stores/ssh-signature.js');
    const bytes = reviewStatementBytes(first.entry, after);
    const armored = await signBytes(key.file, bytes, key.shownAs);
    signature = { armored, status: await checkOneSignature(bytes, armored, reviewer, first.entry.ts, ctx.signers) };
  }
  const plan = planTransition(ctx.history.state, action, { ...base, signature });
  const { after: folded } = await commitCandidateLine(open, ctx, (state, chain) => {
    if (signature && lastToolLineHash(chain.entries, ctx.id) !== after) {
      throw new IllegalTransitionError(`${ctx.id}: cannot ${action}: its audit history changed while you signed (another command ran)`, `run \`toolsmith show ${ctx.id}\`, then ${action} again`);
    }
    return planTransition(state, action, { ...base, signature }).entry;
  }, signature?.status);
  const candidate = await writeCandidateCache(open.workspace.stagedDir, ctx.record, folded);
  const rejectedBefore = action === 'approve'
    ? ctx.history.rejections.filter((f) => f.record.code_hash === ctx.current.code_hash && f.record.spec_hash === ctx.current.spec_hash)
    : [];
  const warnings = [...ctx.warnings, ...rejectedBefore.map((f) => `these exact files were rejected before (registry/audit.jsonl:${f.line}, by ${f.record.reviewer}): ${f.record.notes}`)];
  // Who acted comes from the plan (the line written), never from the reviewer named.
  const result: TransitionResult = { tool_id: ctx.id, action, from: plan.from, to: folded.state.status, candidate, actor: plan.actor, warnings };
  if (plan.reviewer !== undefined) {
    result.reviewer = plan.reviewer;
    result.signature = signature?.status ?? 'unsigned';
    result.approvals = describeApprovals(folded.state, policy);
  }
  return result;
}
