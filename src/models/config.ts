import { z } from 'zod';
import { QualityTier } from './code-metrics.js';

export const PolicyConfig = z.strictObject({
  /** The lowest quality tier `stage` accepts. */
  min_tier: QualityTier.default('ACCEPTABLE'),
  /** Distinct reviewers who must approve before `promote`. */
  approvals_required: z.number().int().min(1).max(10).default(1),
  /** Whether the candidate's author (the actor of its `generate` line) may approve it. */
  allow_self_approval: z.boolean().default(false),
  /**
   * A file in git's allowed_signers format (path relative to the workspace root). When set,
   * only approvals signed (`approve --sign-key`) by a key listed for the reviewer count.
   */
  allowed_signers: z.string().min(1).nullable().default(null),
});

export const SandboxConfig = z.strictObject({
  /**
   * "auto": bubblewrap (the OS layer) where it works, else Node's permission model alone
   * with a warning on every report, run and `show`; "os": refuse to run tool code without
   * the OS layer; "node": the permission model alone, on purpose.
   */
  isolation: z.enum(['auto', 'os', 'node']).default('auto'),
  timeout_ms: z.number().int().min(100).max(600_000).default(10_000),
  max_heap_mb: z.number().int().min(16).max(16_384).default(256),
  /** All memory a tool may commit, off-heap (Buffers, WebAssembly) included: RLIMIT_DATA. */
  max_memory_mb: z.number().int().min(64).max(65_536).default(512),
  /** Size of the tool's private scratch folder (a tmpfs under the OS layer), which also bounds its output files. */
  max_scratch_mb: z.number().int().min(1).max(4096).default(64),
  max_output_bytes: z.number().int().min(1024).max(256 * 1024 * 1024).default(1024 * 1024),
  max_input_bytes: z.number().int().min(1024).max(256 * 1024 * 1024).default(10 * 1024 * 1024),
  /**
   * What `fs:read` lets a tool read (read-only), relative to the directory toolsmith was
   * started in. The workspace's registry/, staged/, config, .git/ and node_modules/ are
   * never readable, even inside these.
   */
  read_paths: z.array(z.string().min(1)).default(['.']),
});

/** The scanner's rule kinds (SPEC 9); src/scanner/registry.ts holds one module per kind. */
export const SCAN_RULE_KINDS = [
  'forbidden-call',
  'forbidden-import',
  'import-boundary',
  'required-finally-call',
  'method-signature',
  'tool-default-export',
  'tool-no-module-state',
  'tool-capabilities',
] as const;

/** One configured rule: the keys every kind shares; `options` is validated by the kind's own schema. */
export const ScanRuleConfig = z.strictObject({
  kind: z.enum(SCAN_RULE_KINDS),
  /** The name findings and suppression comments use (default: the kind). */
  id: z.string().regex(/^[a-z][a-z0-9-]*$/).optional(),
  severity: z.enum(['error', 'warning', 'off']).optional(),
  /** Globs (relative to the workspace root) of the files the rule checks (default: every scanned file). */
  files: z.array(z.string().min(1)).min(1).optional(),
  /** Globs of files the rule does not check. */
  except: z.array(z.string().min(1)).optional(),
  /** Globs of files where the forbidden thing is allowed (same effect as `except`, reads better for bans). */
  allow_in: z.array(z.string().min(1)).optional(),
  /** Replaces the rule's message. */
  message: z.string().min(1).optional(),
  options: z.record(z.string(), z.unknown()).optional(),
});

export const ScanConfig = z.strictObject({
  rules: z.array(ScanRuleConfig).default([]),
  /** Apply the built-in rule set for tool packages (staged/ and registry/tools/). */
  tool_rules: z.boolean().default(true),
  /** Globs of files and folders never scanned, added to the defaults (node_modules, .git, dist, build output). */
  ignore: z.array(z.string().min(1)).default([]),
});

/**
 * The LLM backend of `generate --llm` (SPEC 12): an OpenAI-compatible Chat Completions
 * endpoint. The key itself never appears here: `api_key_env` names the environment variable
 * that holds it, so the config file can be committed.
 */
export const LlmConfig = z.strictObject({
  /** The API root; `/chat/completions` is appended (e.g. https://api.openai.com/v1, http://127.0.0.1:11434/v1). */
  base_url: z.string().url().nullable().default(null),
  model: z.string().min(1).nullable().default(null),
  /** The NAME of the environment variable holding the API key (no key: no Authorization header). */
  api_key_env: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, { message: 'an environment variable name such as OPENAI_API_KEY' }).default('OPENAI_API_KEY'),
  temperature: z.number().min(0).max(2).default(0.2),
  max_tokens: z.number().int().min(1).max(1_000_000).default(4096),
  /** Per request, covering the whole reply. */
  timeout_ms: z.number().int().min(100).max(3_600_000).default(120_000),
  /** Retries after a 429 or 5xx (exponential backoff with jitter, honouring Retry-After). */
  max_retries: z.number().int().min(0).max(10).default(3),
  /** Requests (and sample validations) in flight at once. */
  concurrency: z.number().int().min(1).max(64).default(4),
});

export const WorkspaceConfig = z.strictObject({
  $schema: z.string().optional(),
  policy: PolicyConfig.default(() => PolicyConfig.parse({})),
  sandbox: SandboxConfig.default(() => SandboxConfig.parse({})),
  scan: ScanConfig.default(() => ScanConfig.parse({})),
  llm: LlmConfig.default(() => LlmConfig.parse({})),
});
export type WorkspaceConfig = z.infer<typeof WorkspaceConfig>;
export type PolicyConfig = z.infer<typeof PolicyConfig>;
export type SandboxConfig = z.infer<typeof SandboxConfig>;
export type ScanConfig = z.infer<typeof ScanConfig>;
export type LlmConfig = z.infer<typeof LlmConfig>;
export type ScanRuleConfig = z.infer<typeof ScanRuleConfig>;
