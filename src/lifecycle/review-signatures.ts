import path from 'node:path';
import { AUDIT_GENESIS, type AuditEntry } from '../stores/audit-log.js';
import { createReviewStatement, statementBytes } from '../stores/attestation.js';
import { formatSignersFor, readAllowedSigners, type AllowedSigner } from '../stores/allowed-signers.js';
import { checkSignature, verifySignature } from '../stores/ssh-signature.js';
import type { ReviewRecord, SignatureStatus } from './candidate-state.js';

/**
 * The bytes a review line's signature covers: its in-toto statement, rebuilt from the line
 * and the hash of the tool's line before it (`after`, see ReviewFacts).
 */
export function reviewStatementBytes(r: Pick<ReviewRecord, 'tool_id' | 'version' | 'code_hash' | 'spec_hash' | 'action' | 'reviewer' | 'notes' | 'ts'>, after: string): string {
  return statementBytes(createReviewStatement({
    tool_id: r.tool_id,
    version: r.version,
    code_hash: r.code_hash,
    spec_hash: r.spec_hash,
    decision: r.action === 'approve' ? 'APPROVED' : 'REJECTED',
    reviewer: r.reviewer,
    notes: r.notes,
    time: r.ts,
    after,
  }));
}

/**
 * Reads policy.allowed_signers (relative to the workspace root), or null when it is not set.
 * @throws UserError (exit 2) naming `file:line` of a line that does not parse
 */
export async function loadAllowedSigners(root: string, configured: string | null, cwd: string): Promise<AllowedSigner[] | null> {
  if (!configured) return null;
  const file = path.resolve(root, configured);
  return readAllowedSigners(file, path.relative(cwd, file) || file);
}

/** What one signature is worth (see SignatureStatus). */
export async function checkOneSignature(bytes: string, armored: string, reviewer: string, at: string, signers: readonly AllowedSigner[] | null): Promise<SignatureStatus> {
  if (signers) {
    if (await verifySignature(bytes, armored, formatSignersFor(signers, reviewer), reviewer, at)) return 'verified';
    return (await checkSignature(bytes, armored)) ? 'unlisted' : 'bad';
  }
  return (await checkSignature(bytes, armored)) ? 'signed' : 'bad';
}

/** The hash of the same tool's line before `index` in the chain (the genesis hash for its first line). */
export function previousToolLineHash(entries: readonly AuditEntry[], index: number): string {
  const toolId = entries[index]?.record.tool_id;
  for (let i = index - 1; i >= 0; i--) if (entries[i]?.record.tool_id === toolId) return entries[i]?.hash ?? AUDIT_GENESIS;
  return AUDIT_GENESIS;
}

/**
 * Checks the signature of every signed review line of the chain that `include` selects
 * (ssh-keygen, one or two processes per line). Unsigned lines are left out of the map.
 */
export async function checkReviewSignatures(entries: readonly AuditEntry[], signers: readonly AllowedSigner[] | null, include: (e: AuditEntry) => boolean = () => true): Promise<Map<string, SignatureStatus>> {
  const result = new Map<string, SignatureStatus>();
  let clock = '';
  for (const [index, entry] of entries.entries()) {
    const r = entry.record;
    const before = clock;
    if (r.ts > clock) clock = r.ts;
    if ((r.action !== 'approve' && r.action !== 'reject') || r.signature === undefined || !include(entry)) continue;
    result.set(entry.hash, await checkOneSignature(reviewStatementBytes(r, previousToolLineHash(entries, index)), r.signature, r.reviewer, signatureTime(r.ts, before), signers));
  }
  return result;
}

/**
 * The time a review signature is checked at (`valid-before`/`valid-after` of allowed_signers):
 * its own `ts`, but never earlier than the latest time of the lines before it. The `ts` is
 * written by the signer: without this, a key retired with `valid-before="20250101"` could
 * still sign approvals dated 2024 and appended today. The lines before a review are bound by
 * the hash chain (and, through `after`, by earlier signatures), so the chain's own clock
 * bounds how far back an approval can be dated. Timestamps are ISO-8601 UTC, which sort as text.
 */
export function signatureTime(ts: string, chainClock: string): string {
  return chainClock > ts ? chainClock : ts;
}

/** The latest `ts` of a chain's lines ('' for an empty chain). */
export function chainClock(entries: readonly AuditEntry[]): string {
  let clock = '';
  for (const e of entries) if (e.record.ts > clock) clock = e.record.ts;
  return clock;
}
