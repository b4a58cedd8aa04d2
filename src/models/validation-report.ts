import { z } from 'zod';
import { CodeMetrics } from './code-metrics.js';
import type { Finding } from './scan-result.js';

/**
 * Which sandbox protections were in force on a run (SPEC 8). The first five fields are
 * those of reports written before the OS layer existed; the rest are optional so those
 * reports still read. `layers` names every active layer in words, for reports and `show`.
 */
export const SandboxProtections = z.strictObject({
  permission_model: z.boolean(),
  network_namespace: z.boolean(),
  heap_cap_mb: z.number(),
  timeout_ms: z.number(),
  max_output_bytes: z.number(),
  /** Which layer ran the tool: bubblewrap ("os") or the permission model alone ("node"). */
  isolation: z.enum(['os', 'node']).optional(),
  /** e.g. "bubblewrap 0.8.0 (user, pid, net, mount, ipc, uts)"; null without the OS layer. */
  os_layer: z.string().nullable().optional(),
  /** "granted" (the spec asks for `net`), "isolated" (own network namespace) or "not-isolated". */
  network: z.enum(['granted', 'isolated', 'not-isolated']).optional(),
  /** RLIMIT_DATA: all committed memory, off-heap included; null when no limit could be set. */
  memory_cap_mb: z.number().nullable().optional(),
  cpu_limit_s: z.number().nullable().optional(),
  max_processes: z.number().nullable().optional(),
  max_open_files: z.number().nullable().optional(),
  /** Size of the tmpfs scratch folder; null without the OS layer (no size cap). */
  scratch_cap_mb: z.number().nullable().optional(),
  seccomp: z.boolean().optional(),
  layers: z.array(z.string()).optional(),
  /** e.g. that the OS layer is off and how to turn it on. */
  warnings: z.array(z.string()).optional(),
});
export type SandboxProtections = z.infer<typeof SandboxProtections>;

/** A scanner finding kept in the report (the same shape as the scanner's Finding, SPEC 9). */
export const ScanFinding = z.strictObject({
  rule: z.string(),
  kind: z.string(),
  severity: z.enum(['error', 'warning']),
  message: z.string(),
  file: z.string(),
  line: z.number().int(),
  column: z.number().int(),
  end_line: z.number().int(),
  end_column: z.number().int(),
  excerpt: z.string(),
  /** The flagged text (issue 9); absent in reports written before it. */
  snippet: z.string().optional(),
});
export type ScanFinding = z.infer<typeof ScanFinding>;
// Compile-time proof that the two definitions agree in both directions.
const findingMatches: [ScanFinding, Finding] extends [Finding, ScanFinding] ? true : never = true;
void findingMatches;

export const ValidationReport = z.strictObject({
  schema_ok: z.boolean(),
  typecheck_ok: z.boolean(),
  tests_ok: z.boolean(),
  sandbox_ok: z.boolean(),
  /** The scanner's built-in tool rules found no error-severity finding in the package (the fifth gate). */
  scan_ok: z.boolean(),
  /** All five gates pass. */
  is_valid: z.boolean(),
  logs: z.array(z.string()),
  errors: z.array(z.string()),
  /** The scan gate's findings (errors and warnings), for the reviewer. */
  findings: z.array(ScanFinding),
  code_metrics: CodeMetrics.nullable(),
  code_hash: z.string(),
  spec_hash: z.string(),
  validated_at: z.string(),
  duration_ms: z.number().min(0),
  protections: SandboxProtections.optional(),
});
export type ValidationReport = z.infer<typeof ValidationReport>;
