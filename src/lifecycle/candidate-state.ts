// The audit chain decides (SPEC 1): a candidate's state is a fold over its audit lines.
// Pure and zod-free (`list` folds on its hot path): no I/O, policy and signature results
// come in as parameters.
import type { AuditRecordOf, AuditVerdict, PolicyConfig, QualityTier, ToolStatus, UserFeedback } from '../models/index.js';
import type { AuditEntry } from '../stores/audit-log.js';
import { meetsTier } from './transitions.js';
import { identitiesOfKey, signatureKey, type AllowedSigner } from '../stores/allowed-signers.js';

/**
 * What a review line's signature is worth:
 * - `unsigned`: no signature;
 * - `verified`: policy.allowed_signers is set and it verifies for a listed principal equal to the reviewer;
 * - `signed`: a valid SSHSIG of the line's statement, but no allowed_signers says whose key it is;
 * - `unlisted`: a valid SSHSIG, but no key listed for the reviewer made it;
 * - `bad`: it does not verify over the statement rebuilt from the line and the history before it (edited after signing);
 * - `unchecked`: not checked (`list` stays fast and never spawns ssh-keygen).
 */
export type SignatureStatus = 'unsigned' | 'verified' | 'signed' | 'unlisted' | 'bad' | 'unchecked';

export type ReviewRecord = AuditRecordOf<'approve'> | AuditRecordOf<'reject'>;

export interface ReviewFact {
  line: number;
  hash: string;
  record: ReviewRecord;
  signature: SignatureStatus;
  /** For an approval: whether it counts toward policy.approvals_required, and if not, why. */
  counts: boolean;
  why: string | null;
}

export interface Validation {
  line: number;
  code_hash: string;
  spec_hash: string;
  verdict: AuditVerdict;
  /** is_valid and a tier at least policy.min_tier. */
  passes: boolean;
}

/** A candidate's state as its audit lines make it. */
export interface ChainState {
  tool_id: string;
  /** False until a `generate` line for the tool exists. */
  known: boolean;
  /** Line of the `generate` that started the current epoch. */
  epoch_line: number | null;
  version: string | null;
  /** The actor of the `generate` line: the author for the self-approval rule. */
  author: string | null;
  created_by: string | null;
  /** The latest validation of the current segment (see README: a segment is one set of hashes under review). */
  validation: Validation | null;
  /** A `stage` line after a passing validation in this segment. */
  staged: boolean;
  /** The reject that closed this segment, if any. */
  rejected: ReviewFact | null;
  /** Every review in the segment (approvals and the closing reject). */
  reviews: ReviewFact[];
  /** Every review since `generate`: what candidate.json's user_feedback lists. */
  epoch_reviews: ReviewFact[];
  /** Approvals that count: one per distinct reviewer, not the author, signed where the policy says. */
  approvals: ReviewFact[];
  promoted: AuditEntry | null;
  /** Approvals that counted before the latest validation changed the hashes (voided by it). */
  voided: number;
  /** The status the chain gives, before the files on disk are looked at. */
  status: ToolStatus;
  /** Lines that had no effect because nothing legitimate writes them in that state (tampering or a bug). */
  anomalies: Array<{ line: number; message: string }>;
}

/** The policy-independent facts of a state that candidate.json may cache, for the cache check. */
export interface CacheView {
  line: number;
  version: string | null;
  created_by: string | null;
  code_hash: string;
  spec_hash: string;
  report_sha256: string | null;
  user_feedback: UserFeedback[];
  staged: boolean;
  rejected: boolean;
  promoted: boolean;
  /** Approvals of the segment by distinct reviewers (signatures aside): the most APPROVED can rest on. */
  approvals: number;
}

export interface CandidateHistory {
  state: ChainState;
  /** The state after each of the tool's lines, oldest first (candidate.json must equal one of them). */
  snapshots: CacheView[];
  /** Every reject of the tool (all epochs), for "these exact hashes were rejected before". */
  rejections: ReviewFact[];
  /** Each promote line of the tool with the state just before it (what verify re-checks). */
  promotions: Array<{ entry: AuditEntry; before: ChainState }>;
  /** Lines of the tool that break the chain's own rules (wrong version, no generate first). */
  problems: Array<{ line: number; message: string }>;
}

export interface FoldOptions {
  policy: Pick<PolicyConfig, 'min_tier' | 'approvals_required' | 'allow_self_approval' | 'allowed_signers'>;
  /** Signature status by audit line hash; a signed line missing from the map is `unchecked`. */
  signatures?: ReadonlyMap<string, SignatureStatus>;
  /**
   * policy.allowed_signers as read: a verified approval's key stands for every name listed
   * with it, so one key (one person) is one reviewer (see keyProblem).
   */
  signers?: readonly AllowedSigner[] | null;
}

function emptyState(toolId: string): ChainState {
  return {
    tool_id: toolId, known: false, epoch_line: null, version: null, author: null, created_by: null,
    validation: null, staged: false, rejected: null, reviews: [], epoch_reviews: [], approvals: [],
    promoted: null, voided: 0, status: 'DRAFT', anomalies: [],
  };
}

/** Whether a signature status lets an approval count under the policy. */
export function signatureCounts(status: SignatureStatus, policy: FoldOptions['policy']): boolean {
  if (status === 'bad') return false;
  if (policy.allowed_signers) return status === 'verified' || status === 'unchecked';
  return true;
}

const SIGNATURE_WHY: Record<SignatureStatus, string> = {
  unsigned: 'unsigned (policy.allowed_signers requires a signature)',
  verified: '',
  signed: '',
  unlisted: 'signed by a key not listed for the reviewer in allowed_signers',
  bad: 'its signature does not match the audit line or the history before it (edited after signing)',
  unchecked: '',
};

/**
 * Why a verified approval does not count because of the key that signed it, or null. One
 * key is one person, whatever names allowed_signers lists it under (`bob,bob@example.com
 * KEY` is one line a team writes for one person with two addresses): the approval does not
 * count when that key is listed for the author (self-approval under another of their names),
 * or when an approval that counts was signed with the same key (one person approving twice).
 * Pure.
 */
export function keyProblem(fact: Pick<ReviewFact, 'record' | 'signature'>, state: Pick<ChainState, 'author' | 'approvals'>, policy: FoldOptions['policy'], signers: readonly AllowedSigner[] | null | undefined): string | null {
  const r = fact.record;
  if (fact.signature !== 'verified' || !signers || r.signature === undefined) return null;
  const key = signatureKey(r.signature);
  if (key === null) return null;
  const names = identitiesOfKey(signers, key);
  if (!policy.allow_self_approval && state.author !== null && names.includes(state.author) && r.reviewer !== state.author) {
    return `it is signed with the key allowed_signers lists for the author ${state.author} (self-approval is off)`;
  }
  const same = state.approvals.find((a) => a.record.signature !== undefined && signatureKey(a.record.signature) === key);
  if (same) return `it is signed with the same key as the approval by ${same.record.reviewer} (one key, one reviewer)`;
  return null;
}

/** Why an approval does not count, or null when it does. Pure. */
export function approvalProblem(fact: Pick<ReviewFact, 'record' | 'signature'>, state: Pick<ChainState, 'author' | 'approvals'>, policy: FoldOptions['policy'], signers?: readonly AllowedSigner[] | null): string | null {
  const r = fact.record;
  if (!signatureCounts(fact.signature, policy)) return SIGNATURE_WHY[fact.signature] || 'its signature does not count';
  if (!policy.allow_self_approval && state.author !== null) {
    if (r.reviewer === state.author) return `${r.reviewer} is the author (self-approval is off)`;
    if (r.actor === state.author) return `it was recorded by the author ${r.actor} (self-approval is off)`;
  }
  if (state.approvals.some((a) => a.record.reviewer === r.reviewer)) return `${r.reviewer} already approved`;
  return keyProblem(fact, state, policy, signers);
}

function verdictPasses(verdict: AuditVerdict, minTier: QualityTier): boolean {
  return verdict.is_valid && verdict.quality_tier !== null && meetsTier(verdict.quality_tier, minTier);
}

/** The status a state stands for (SPEC 1), before the files on disk are looked at. */
export function deriveStatus(s: ChainState, policy: FoldOptions['policy']): ToolStatus {
  if (s.promoted) return 'PROMOTED';
  if (!s.validation) return 'DRAFT';
  if (s.rejected) return 'REJECTED';
  if (!s.validation.passes || !s.staged) return 'DRAFT';
  return s.approvals.length >= policy.approvals_required ? 'APPROVED' : 'STAGED';
}

/** The UserFeedback entry candidate.json caches for a review line. */
export function toUserFeedback(r: ReviewRecord): UserFeedback {
  const feedback: UserFeedback = {
    decision: r.action === 'approve' ? 'APPROVED' : 'REJECTED',
    reviewer: r.reviewer,
    actor: r.actor,
    notes: r.notes,
    timestamp: r.ts,
    code_hash: r.code_hash,
    spec_hash: r.spec_hash,
  };
  if (r.signature !== undefined) feedback.signature = r.signature;
  return feedback;
}

function sameHashes(a: { code_hash: string; spec_hash: string }, b: { code_hash: string; spec_hash: string }): boolean {
  return a.code_hash === b.code_hash && a.spec_hash === b.spec_hash;
}

/** Applies one line of the tool to the state (mutating it). Returns a chain problem, if any. */
function applyLine(s: ChainState, entry: AuditEntry, options: FoldOptions): string | null {
  const r = entry.record;
  const policy = options.policy;
  if (r.action === 'generate') {
    Object.assign(s, emptyState(s.tool_id), { known: true, epoch_line: entry.line, version: r.version, author: r.actor, created_by: r.created_by });
    return null;
  }
  if (!s.known) return `${r.action} of ${r.tool_id} before any generate line`;
  if (r.version !== s.version) return `${r.action} of ${r.tool_id} names version ${r.version}, but it was generated as ${s.version ?? '?'}`;
  const anomaly = (message: string) => void s.anomalies.push({ line: entry.line, message });
  switch (r.action) {
    case 'validate': {
      const newSegment = s.validation === null || !sameHashes(s.validation, r) || s.rejected !== null;
      if (newSegment) {
        s.voided = s.validation !== null && !sameHashes(s.validation, r) ? s.approvals.length : 0;
        Object.assign(s, { staged: false, rejected: null, reviews: [], approvals: [] });
      } else s.voided = 0;
      s.validation = { line: entry.line, code_hash: r.code_hash, spec_hash: r.spec_hash, verdict: r.report, passes: verdictPasses(r.report, policy.min_tier) };
      break;
    }
    case 'stage':
      if (!s.validation || !sameHashes(s.validation, r) || !s.validation.passes || s.rejected) anomaly('stage without a passing validation of these hashes');
      else s.staged = true;
      break;
    case 'approve':
    case 'reject': {
      const signature = r.signature === undefined ? 'unsigned' : (options.signatures?.get(entry.hash) ?? 'unchecked');
      const fact: ReviewFact = { line: entry.line, hash: entry.hash, record: r, signature, counts: false, why: null };
      s.epoch_reviews.push(fact);
      const status = deriveStatus(s, policy);
      if (!s.validation || !sameHashes(s.validation, r) || !s.staged || s.rejected) {
        fact.why = `${r.action} while the candidate was ${status}, not STAGED with these hashes`;
        anomaly(fact.why);
        break;
      }
      s.reviews.push(fact);
      if (r.action === 'reject') {
        s.rejected = fact;
        s.approvals = [];
        break;
      }
      fact.why = approvalProblem(fact, s, policy, options.signers);
      fact.counts = fact.why === null;
      if (fact.counts) s.approvals.push(fact);
      break;
    }
    case 'promote':
      s.promoted = entry;
      break;
  }
  return null;
}

function snapshotOf(s: ChainState, entry: AuditEntry, previous: CacheView | undefined): CacheView {
  const r = entry.record;
  return {
    line: entry.line,
    version: s.version,
    created_by: s.created_by,
    // candidate.json's hashes follow generate and validate (what the files were when last hashed).
    code_hash: r.action === 'generate' || r.action === 'validate' ? r.code_hash : (previous?.code_hash ?? r.code_hash),
    spec_hash: r.action === 'generate' || r.action === 'validate' ? r.spec_hash : (previous?.spec_hash ?? r.spec_hash),
    report_sha256: r.action === 'generate' ? null : r.action === 'validate' ? r.report.report_sha256 : (previous?.report_sha256 ?? null),
    user_feedback: s.epoch_reviews.map((f) => toUserFeedback(f.record)),
    staged: s.staged,
    rejected: s.rejected !== null,
    promoted: s.promoted !== null,
    approvals: new Set(s.reviews.filter((f) => f.record.action === 'approve').map((f) => f.record.reviewer)).size,
  };
}

function cloneState(s: ChainState): ChainState {
  return { ...s, reviews: [...s.reviews], epoch_reviews: [...s.epoch_reviews], approvals: [...s.approvals], anomalies: [...s.anomalies] };
}

/**
 * Folds every audit line of one tool into its state (the chain is the truth for transitions).
 * `entries` may hold the whole chain; lines of other tools are skipped.
 */
export function foldCandidate(entries: readonly AuditEntry[], toolId: string, options: FoldOptions): CandidateHistory {
  const state = emptyState(toolId);
  const snapshots: CacheView[] = [];
  const rejections: ReviewFact[] = [];
  const promotions: CandidateHistory['promotions'] = [];
  const problems: CandidateHistory['problems'] = [];
  for (const entry of entries) {
    if (entry.record.tool_id !== toolId) continue;
    if (entry.record.action === 'promote') promotions.push({ entry, before: cloneState(state) });
    const problem = applyLine(state, entry, options);
    if (problem) {
      problems.push({ line: entry.line, message: problem });
      continue;
    }
    state.status = deriveStatus(state, options.policy);
    if (entry.record.action === 'reject') {
      const fact = state.epoch_reviews.at(-1);
      if (fact) rejections.push(fact);
    }
    snapshots.push(snapshotOf(state, entry, snapshots.at(-1)));
  }
  return { state, snapshots, rejections, promotions, problems };
}

/**
 * The status in force: a STAGED or APPROVED candidate whose files no longer hash to what
 * was validated is DRAFT again (SPEC 1), before anything is written.
 */
export function effectiveStatus(state: ChainState, current: { code_hash: string; spec_hash: string }): ToolStatus {
  if ((state.status === 'STAGED' || state.status === 'APPROVED') && (!state.validation || !sameHashes(state.validation, current))) return 'DRAFT';
  return state.status;
}

/** Whether the files on disk are the ones last validated. */
export function matchesValidation(state: ChainState, current: { code_hash: string; spec_hash: string }): boolean {
  return state.validation !== null && sameHashes(state.validation, current);
}
