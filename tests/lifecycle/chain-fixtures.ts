/**
 * Synthetic audit chains for the pure lifecycle tests (fold, guards, cache check): records
 * built in memory, hashed like real lines. No I/O.
 */
import type { AuditRecord, AuditVerdict, PolicyConfig, QualityTier } from '../../src/models/index.js';
import type { AuditEntry, AuditEntryInput } from '../../src/stores/audit-log.js';
import { createAuditLine } from '../../src/stores/audit-log.js';
import { sha256 } from '../../src/stores/hash.js';
import { foldCandidate, type CandidateHistory, type SignatureStatus } from '../../src/lifecycle/candidate-state.js';

export const ID = 'word_count';
export const HASHES = { code_hash: 'c'.repeat(64), spec_hash: '5'.repeat(64) };
export const OTHER = { code_hash: 'd'.repeat(64), spec_hash: '5'.repeat(64) };
export const NOW = new Date('2026-01-02T03:04:05.000Z');

export type Policy = Pick<PolicyConfig, 'min_tier' | 'approvals_required' | 'allow_self_approval' | 'allowed_signers'>;
export const POLICY: Policy = { min_tier: 'ACCEPTABLE', approvals_required: 1, allow_self_approval: false, allowed_signers: null };

export function verdict(overrides: Partial<AuditVerdict> = {}, tier: QualityTier | null = 'EXCELLENT'): AuditVerdict {
  return { is_valid: true, quality_tier: tier, schema_ok: true, typecheck_ok: true, tests_ok: true, sandbox_ok: true, scan_ok: true, report_sha256: 'a'.repeat(64), ...overrides };
}

type Hashes = { code_hash: string; spec_hash: string };
const base = (actor: string, hashes: Hashes, version = '1.0.0') => ({ ts: NOW.toISOString(), tool_id: ID, version, actor, ...hashes });

export const gen = (actor = 'author', hashes: Hashes = HASHES, version = '1.0.0'): AuditEntryInput => ({ ...base(actor, hashes, version), action: 'generate', created_by: 'template:default' });
export const val = (hashes: Hashes = HASHES, v: AuditVerdict = verdict()): AuditEntryInput => ({ ...base('author', hashes), action: 'validate', report: v });
export const stage = (hashes: Hashes = HASHES): AuditEntryInput => ({ ...base('author', hashes), action: 'stage' });
export const approve = (reviewer: string, options: { actor?: string; hashes?: Hashes; signature?: string; notes?: string } = {}): AuditEntryInput => ({
  ...base(options.actor ?? reviewer, options.hashes ?? HASHES),
  action: 'approve',
  reviewer,
  notes: options.notes ?? '',
  ...(options.signature ? { signature: options.signature } : {}),
});
export const reject = (reviewer: string, hashes: Hashes = HASHES): AuditEntryInput => ({ ...base(reviewer, hashes), action: 'reject', reviewer, notes: 'no' });
export const promote = (hashes: Hashes = HASHES, approvals: string[] = []): AuditEntryInput => ({
  ...base('author', hashes), action: 'promote', files: {}, build_hash: 'b'.repeat(64), approved_by: [], approvals, promotion_sha256: null,
});

/** Chains records into entries exactly as audit.jsonl would hold them (prev and line hashes). */
export function chainOf(inputs: readonly AuditEntryInput[]): AuditEntry[] {
  const entries: AuditEntry[] = [];
  let previous: string | undefined;
  inputs.forEach((input, i) => {
    const line = createAuditLine(previous, input);
    entries.push({ line: i + 1, hash: sha256(line), record: JSON.parse(line) as AuditRecord });
    previous = line;
  });
  return entries;
}

export function fold(inputs: readonly AuditEntryInput[], policy: Partial<Policy> = {}, signatures?: (entries: AuditEntry[]) => Map<string, SignatureStatus>): CandidateHistory {
  const entries = chainOf(inputs);
  return foldCandidate(entries, ID, { policy: { ...POLICY, ...policy }, ...(signatures ? { signatures: signatures(entries) } : {}) });
}
