import { z } from 'zod';

export const ToolRegistryEntry = z.strictObject({
  version: z.string(),
  path: z.string(),
  spec_hash: z.string(),
  code_hash: z.string(),
  /** SHA-256 over the build/ artifacts made at promote time (compiled code, validators). */
  build_hash: z.string(),
  /** SHA-256 of every file of the frozen version folder, so a check names the file that changed. */
  files: z.record(z.string(), z.string()),
  promoted_at: z.string(),
  created_by: z.string(),
  approved_by: z.array(z.string()),
});
export type ToolRegistryEntry = z.infer<typeof ToolRegistryEntry>;

export const RegistryMetadata = z.strictObject({
  tools: z.record(z.string(), ToolRegistryEntry),
  last_updated: z.string(),
  schema_version: z.string(),
  /** SHA-256 of the last committed audit.jsonl line: detects a removed last line. */
  audit_head: z.string().optional(),
});
export type RegistryMetadata = z.infer<typeof RegistryMetadata>;

export const ExecutionMetrics = z.strictObject({
  success_count: z.number().int().min(0),
  error_count: z.number().int().min(0),
  last_execution_time_ms: z.number().min(0),
  avg_execution_time_ms: z.number().min(0),
  last_used: z.string().nullable(),
  state: z.enum(['IDLE', 'SUCCESS', 'ERROR']),
  /** Of the error runs, how many its caller cancelled (serve: notifications/cancelled, a closed stream); absent until one is. */
  cancelled_count: z.number().int().min(0).optional(),
});
export type ExecutionMetrics = z.infer<typeof ExecutionMetrics>;

export const MetricsFile = z.record(z.string(), ExecutionMetrics);
export type MetricsFile = z.infer<typeof MetricsFile>;

export const AuditAction = z.enum(['generate', 'validate', 'stage', 'approve', 'reject', 'promote']);
export type AuditAction = z.infer<typeof AuditAction>;

const Sha256 = z.string().regex(/^[0-9a-f]{64}$/, { message: 'a SHA-256 in lowercase hex' });

/** What every audit line holds (SPEC 6). `actor` is who ran the command, normalised. */
const AuditBase = {
  ts: z.string(),
  tool_id: z.string(),
  version: z.string(),
  actor: z.string().min(1),
  code_hash: Sha256,
  spec_hash: Sha256,
  /** SHA-256 of the previous line's exact text (64 zeros on the first line). */
  prev: Sha256,
};

/** The verdict of a validation, kept in its audit line so stage and promote never trust candidate.json. */
export const AuditVerdict = z.strictObject({
  is_valid: z.boolean(),
  quality_tier: z.enum(['EXCELLENT', 'GOOD', 'ACCEPTABLE', 'POOR']).nullable(),
  schema_ok: z.boolean(),
  typecheck_ok: z.boolean(),
  tests_ok: z.boolean(),
  sandbox_ok: z.boolean(),
  scan_ok: z.boolean(),
  /** SHA-256 of the RFC 8785 canonical JSON of the whole ValidationReport. */
  report_sha256: Sha256,
});
export type AuditVerdict = z.infer<typeof AuditVerdict>;

const ReviewFields = {
  /** Who decided (`--reviewer`), normalised; `actor` is who ran the command. */
  reviewer: z.string().min(1),
  notes: z.string(),
  /** Armored SSHSIG over the review statement rebuilt from this line (src/stores/attestation.ts). */
  signature: z.string().optional(),
};

export const AuditRecord = z.discriminatedUnion('action', [
  z.strictObject({ ...AuditBase, action: z.literal('generate'), created_by: z.string() }),
  z.strictObject({ ...AuditBase, action: z.literal('validate'), report: AuditVerdict }),
  z.strictObject({ ...AuditBase, action: z.literal('stage') }),
  z.strictObject({ ...AuditBase, action: z.literal('approve'), ...ReviewFields }),
  z.strictObject({ ...AuditBase, action: z.literal('reject'), ...ReviewFields }),
  z.strictObject({
    ...AuditBase,
    action: z.literal('promote'),
    /** SHA-256 of every file of the frozen version folder (promotion.json aside): what `run` and `verify` anchor metadata.json to. */
    files: z.record(z.string(), Sha256),
    build_hash: Sha256,
    /** The reviewers whose approvals this promotion counted, and the SHA-256 of each of their audit lines. */
    approved_by: z.array(z.string()),
    approvals: z.array(Sha256),
    /** SHA-256 of registry/tools/<id>/<version>/promotion.json when a signed record was written, else null. */
    promotion_sha256: Sha256.nullable(),
  }),
]);
export type AuditRecord = z.infer<typeof AuditRecord>;
export type AuditRecordOf<A extends AuditAction> = Extract<AuditRecord, { action: A }>;
