// The statements reviewers and promoters sign: in-toto Statement v1 (https://in-toto.io/Statement/v1)
// with predicate types of ours, so supply-chain tools that read in-toto can read them.
// Signed bytes are the RFC 8785 canonical JSON of the statement, rebuilt from the audit line
// (review) or stored beside the frozen version (promotion): nothing else is trusted.
import { canonicalJson } from './hash.js';

export const IN_TOTO_STATEMENT_TYPE = 'https://in-toto.io/Statement/v1';
export const REVIEW_PREDICATE_TYPE = 'https://toolsmith.dev/attestations/review/v1';
export const PROMOTION_PREDICATE_TYPE = 'https://toolsmith.dev/attestations/promotion/v1';
/** The SSHSIG namespace (`ssh-keygen -Y sign -n`): a signature made for git commits or another tool never verifies here. */
export const SIGNATURE_NAMESPACE = 'toolsmith';

export interface ResourceDescriptor {
  name: string;
  digest: Record<string, string>;
}

export interface InTotoStatement<P> {
  _type: typeof IN_TOTO_STATEMENT_TYPE;
  subject: ResourceDescriptor[];
  predicateType: string;
  predicate: P;
}

/** What a review line says, and therefore what its signature covers. */
export interface ReviewFacts {
  tool_id: string;
  version: string;
  code_hash: string;
  spec_hash: string;
  decision: 'APPROVED' | 'REJECTED';
  reviewer: string;
  notes: string;
  /** The audit line's `ts`. */
  time: string;
  /**
   * SHA-256 of the tool's audit line just before the review (its stage, validate or an
   * earlier review). Each line's hash covers every line before it, so the reviewer signs the
   * whole history they reviewed: a rewritten verdict before it, or the review replayed into
   * another epoch, no longer verifies.
   */
  after: string;
}

export interface ReviewPredicate {
  tool_id: string;
  version: string;
  decision: 'APPROVED' | 'REJECTED';
  reviewer: string;
  notes: string;
  time: string;
  audit_after: string;
}

/**
 * The two subjects of a candidate: its code (code_hash: SHA-256 over the package's files,
 * SPEC 4) and its spec (spec_hash: SHA-256 of spec.json's canonical JSON).
 */
function candidateSubjects(toolId: string, codeHash: string, specHash: string): ResourceDescriptor[] {
  return [
    { name: `${toolId}/code`, digest: { sha256: codeHash } },
    { name: `${toolId}/spec.json`, digest: { sha256: specHash } },
  ];
}

/** The review statement of SPEC 6: subject the candidate's hashes; predicate the decision. */
export function createReviewStatement(facts: ReviewFacts): InTotoStatement<ReviewPredicate> {
  return {
    _type: IN_TOTO_STATEMENT_TYPE,
    subject: candidateSubjects(facts.tool_id, facts.code_hash, facts.spec_hash),
    predicateType: REVIEW_PREDICATE_TYPE,
    predicate: {
      tool_id: facts.tool_id,
      version: facts.version,
      decision: facts.decision,
      reviewer: facts.reviewer,
      notes: facts.notes,
      time: facts.time,
      audit_after: facts.after,
    },
  };
}

export interface PromotionPredicate {
  tool_id: string;
  version: string;
  code_hash: string;
  spec_hash: string;
  build_hash: string;
  promoted_at: string;
  promoter: string;
  /** The approvals counted, by reviewer and the SHA-256 of each approval's audit line. */
  approvals: Array<{ reviewer: string; audit_line_sha256: string }>;
}

/**
 * The promotion statement: every file of the frozen version folder is a subject (so the
 * signature covers exactly the bytes `run` executes), the predicate names the approvals.
 */
export function createPromotionStatement(files: Record<string, string>, predicate: PromotionPredicate): InTotoStatement<PromotionPredicate> {
  return {
    _type: IN_TOTO_STATEMENT_TYPE,
    subject: Object.keys(files).sort().map((name) => ({ name, digest: { sha256: files[name] ?? '' } })),
    predicateType: PROMOTION_PREDICATE_TYPE,
    predicate,
  };
}

/** The exact bytes that are signed: the statement's RFC 8785 canonical JSON. */
export function statementBytes(statement: InTotoStatement<unknown>): string {
  return canonicalJson(statement);
}
