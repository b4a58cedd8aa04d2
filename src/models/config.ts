import { z } from 'zod';
import { QualityTier } from './code-metrics.js';

export const PolicyConfig = z.strictObject({
  /** The lowest quality tier `stage` accepts. */
  min_tier: QualityTier.default('ACCEPTABLE'),
  /** Distinct reviewers who must approve before `promote`. */
  approvals_required: z.number().int().min(1).max(10).default(1),
  /** Whether the candidate's author (created_by human:<name>) may approve it. */
  allow_self_approval: z.boolean().default(false),
});

export const SandboxConfig = z.strictObject({
  timeout_ms: z.number().int().min(100).max(600_000).default(10_000),
  max_heap_mb: z.number().int().min(16).max(16_384).default(256),
  max_output_bytes: z.number().int().min(1024).max(256 * 1024 * 1024).default(1024 * 1024),
  max_input_bytes: z.number().int().min(1024).max(256 * 1024 * 1024).default(10 * 1024 * 1024),
});

export const ScanConfig = z.strictObject({
  rules: z.array(z.record(z.string(), z.unknown())).default([]),
});

export const WorkspaceConfig = z.strictObject({
  $schema: z.string().optional(),
  policy: PolicyConfig.default(() => PolicyConfig.parse({})),
  sandbox: SandboxConfig.default(() => SandboxConfig.parse({})),
  scan: ScanConfig.default(() => ScanConfig.parse({})),
});
export type WorkspaceConfig = z.infer<typeof WorkspaceConfig>;
export type PolicyConfig = z.infer<typeof PolicyConfig>;
export type SandboxConfig = z.infer<typeof SandboxConfig>;
