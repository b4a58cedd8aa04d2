import { z } from 'zod';
import { CodeMetrics } from './code-metrics.js';

/** Which sandbox protections were in force on the machine that ran the tests. */
export const SandboxProtections = z.strictObject({
  permission_model: z.boolean(),
  network_namespace: z.boolean(),
  heap_cap_mb: z.number(),
  timeout_ms: z.number(),
  max_output_bytes: z.number(),
});
export type SandboxProtections = z.infer<typeof SandboxProtections>;

export const ValidationReport = z.strictObject({
  schema_ok: z.boolean(),
  typecheck_ok: z.boolean(),
  tests_ok: z.boolean(),
  sandbox_ok: z.boolean(),
  is_valid: z.boolean(),
  logs: z.array(z.string()),
  errors: z.array(z.string()),
  code_metrics: CodeMetrics.nullable(),
  code_hash: z.string(),
  spec_hash: z.string(),
  validated_at: z.string(),
  duration_ms: z.number().min(0),
  protections: SandboxProtections.optional(),
});
export type ValidationReport = z.infer<typeof ValidationReport>;
