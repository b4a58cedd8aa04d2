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
});
export type ExecutionMetrics = z.infer<typeof ExecutionMetrics>;

export const MetricsFile = z.record(z.string(), ExecutionMetrics);
export type MetricsFile = z.infer<typeof MetricsFile>;

export const AuditAction = z.enum(['generate', 'validate', 'stage', 'approve', 'reject', 'promote']);
export type AuditAction = z.infer<typeof AuditAction>;

export const AuditRecord = z.strictObject({
  ts: z.string(),
  action: AuditAction,
  tool_id: z.string(),
  version: z.string(),
  actor: z.string(),
  code_hash: z.string(),
  spec_hash: z.string(),
  prev: z.string(),
});
export type AuditRecord = z.infer<typeof AuditRecord>;
