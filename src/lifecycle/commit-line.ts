import type { ToolCandidate, ValidationReport } from '../models/index.js';
import { IntegrityError } from '../models/errors.js';
import type { AuditChain, AuditEntry, AuditEntryInput } from '../stores/audit-log.js';
import type { AuditRecord } from '../models/index.js';
import { recordTransition } from '../stores/record-transition.js';
import { writeCandidate } from '../stores/staged-store.js';
import { hashJson } from '../stores/hash.js';
import type { OpenWorkspace } from '../workspace/open-workspace.js';
import { foldCandidate, type CandidateHistory, type ChainState, type SignatureStatus } from './candidate-state.js';
import type { CandidateContext } from './open-candidate.js';

export interface CommittedTransition {
  entry: AuditEntry;
  /** The tool's history with the new line folded in. */
  after: CandidateHistory;
}

/**
 * Appends one line for a candidate, planning it again under the registry lock against the
 * chain as it is then (a concurrent command may have added lines since the first read):
 * `plan` gets the fresh state and returns the entry, or throws to refuse.
 * Signatures of review lines added meanwhile are checked before the plan sees them.
 */
export async function commitCandidateLine(
  open: OpenWorkspace,
  ctx: CandidateContext,
  plan: (state: ChainState, chain: AuditChain) => AuditEntryInput,
  pendingSignature?: SignatureStatus,
): Promise<CommittedTransition> {
  const { workspace, config } = open;
  const signatures = new Map(ctx.signatures);
  let entries: AuditEntry[] = [];
  const committed = await recordTransition(workspace.registryDir, async (chain) => {
    const problem = chain.problems[0];
    if (problem) throw new IntegrityError(`registry/audit.jsonl:${problem.line}: ${problem.message}`, 'run `toolsmith verify`');
    const unchecked = (e: AuditEntry) => e.record.tool_id === ctx.id && (e.record.action === 'approve' || e.record.action === 'reject') && e.record.signature !== undefined && !signatures.has(e.hash);
    if (chain.entries.some(unchecked)) {
      const { checkReviewSignatures } = await import('./review-signatures.js');
      for (const [hash, status] of await checkReviewSignatures(chain.entries, ctx.signers, unchecked)) signatures.set(hash, status);
    }
    entries = chain.entries;
    return plan(foldCandidate(chain.entries, ctx.id, { policy: config.policy, signatures, signers: ctx.signers }).state, chain);
  });
  const record = JSON.parse(committed.line) as AuditRecord; // safe: we wrote this line from a typed record a moment ago
  const entry: AuditEntry = { line: entries.length + 1, hash: committed.hash, record };
  if (pendingSignature !== undefined) signatures.set(committed.hash, pendingSignature);
  const after = foldCandidate([...entries, entry], ctx.id, { policy: config.policy, signatures, signers: ctx.signers });
  return { entry, after };
}

/**
 * Writes candidate.json as the cache of a state: what the chain says, plus the report's body
 * (which only candidate.json holds; the chain holds its hash). A report that is not the one
 * the chain last recorded (an interrupted validate lost the new one) is dropped, not kept.
 */
export async function writeCandidateCache(stagedDir: string, base: ToolCandidate, after: CandidateHistory, report?: ValidationReport, spec?: ToolCandidate['spec']): Promise<ToolCandidate> {
  const view = after.snapshots.at(-1);
  const state = after.state;
  const chainReport = view?.report_sha256 ?? null;
  const candidateReport = report ?? base.validation_report;
  const next: ToolCandidate = {
    ...base,
    ...(spec ? { spec } : {}),
    version: state.version ?? base.version,
    created_by: state.created_by ?? base.created_by,
    code_hash: view?.code_hash ?? base.code_hash,
    spec_hash: view?.spec_hash ?? base.spec_hash,
    status: state.status,
    validation_report: candidateReport !== null && chainReport !== null && hashJson(candidateReport) === chainReport ? candidateReport : null,
    user_feedback: view?.user_feedback ?? [],
  };
  await writeCandidate(stagedDir, next);
  return next;
}
