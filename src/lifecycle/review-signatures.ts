import path from 'node:path';
import type { AuditEntry } from '../stores/audit-log.js';
import { createReviewStatement, statementBytes } from '../stores/attestation.js';
import { formatSignersFor, readAllowedSigners, type AllowedSigner } from '../stores/allowed-signers.js';
import { checkSignature, verifySignature } from '../stores/ssh-signature.js';
import type { ReviewRecord, SignatureStatus } from './candidate-state.js';

/** The bytes a review line's signature covers: its in-toto statement, rebuilt from the line. */
export function reviewStatementBytes(r: Pick<ReviewRecord, 'tool_id' | 'version' | 'code_hash' | 'spec_hash' | 'action' | 'reviewer' | 'notes' | 'ts'>): string {
  return statementBytes(createReviewStatement({
    tool_id: r.tool_id,
    version: r.version,
    code_hash: r.code_hash,
    spec_hash: r.spec_hash,
    decision: r.action === 'approve' ? 'APPROVED' : 'REJECTED',
    reviewer: r.reviewer,
    notes: r.notes,
    time: r.ts,
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

/**
 * Checks the signature of every signed review line among `entries` (ssh-keygen, one or two
 * processes per line). Unsigned lines are left out of the map.
 */
export async function checkReviewSignatures(entries: readonly AuditEntry[], signers: readonly AllowedSigner[] | null): Promise<Map<string, SignatureStatus>> {
  const result = new Map<string, SignatureStatus>();
  for (const entry of entries) {
    const r = entry.record;
    if ((r.action !== 'approve' && r.action !== 'reject') || r.signature === undefined) continue;
    result.set(entry.hash, await checkOneSignature(reviewStatementBytes(r), r.signature, r.reviewer, r.ts, signers));
  }
  return result;
}
