import { existsSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import type { AuditRecord, AuditVerdict, ExecutionMetrics, Permission, SandboxConfig, ScanFinding, ToolCandidate, ToolRegistryEntry, ToolStatus, ValidationReport } from '../models/index.js';
import { NotFoundError } from '../models/errors.js';
import { hasCandidate, assertToolId } from '../stores/staged-store.js';
import { readMetadata, readMetrics, versionDir } from '../stores/registry-store.js';
import { readAuditChain } from '../stores/audit-log.js';
import { BUILD_DIR } from '../models/package-layout.js';
import { listFiles, hashJson } from '../stores/hash.js';
import { isRuntimeSource } from '../bundle/runtime-sources.js';
import { openWorkspace, type CommandOptions } from '../workspace/open-workspace.js';
import { describeProtections, type MachineProtections } from '../runner/describe-sandbox.js';
import { effectiveStatus, matchesValidation, type SignatureStatus } from './candidate-state.js';
import { openCandidate, type CandidateContext } from './open-candidate.js';
import { describeApprovals } from './plan-transition.js';

export interface ShowOptions extends CommandOptions {
  toolId: string;
}

/** Largest index.ts shown in full; a longer one is cut (the reviewer is told, and can open the file). */
const MAX_CODE_CHARS = 200_000;

export interface ShownTest {
  name: string;
  input: unknown;
  expected?: unknown;
  expect_error?: string;
  /** From the last validation: what the tool returned, whether it passed, and the error or diff. */
  actual: unknown;
  passed: boolean | null;
  error: string | null;
  diff: string | null;
}

export interface ShownReview {
  line: number;
  decision: 'APPROVED' | 'REJECTED';
  reviewer: string;
  actor: string;
  notes: string;
  timestamp: string;
  signature: SignatureStatus;
  /** Approvals: whether it counts toward policy.approvals_required (and why not). */
  counts: boolean;
  why: string | null;
}

export interface ShownCandidate {
  tool_id: string;
  version: string;
  /** The status the audit chain gives. */
  status: ToolStatus;
  /** `status` with the files on disk considered: DRAFT when they changed since validation. */
  effective_status: ToolStatus;
  files_changed: boolean;
  spec: unknown;
  created_at: string;
  created_by: string;
  author: string | null;
  current_hashes: { code_hash: string; spec_hash: string };
  validated_hashes: { code_hash: string; spec_hash: string } | null;
  /** The last validation's verdict, from the audit line. */
  verdict: AuditVerdict | null;
  /** The last validation's report, from candidate.json, when it is the one the audit line recorded. */
  validation_report: ValidationReport | null;
  code: {
    index_ts: string | null;
    truncated: boolean;
    files: Array<{ path: string; bytes: number }>;
    /** Every other module that is compiled and runs (lib/helper.ts): a reviewer must see all code that runs, not only its name. */
    modules: Array<{ path: string; text: string; truncated: boolean }>;
  };
  tests: ShownTest[];
  findings: ScanFinding[];
  permissions: { requested: string[]; promoted: string[] | null; added: string[]; removed: string[] };
  reviews: ShownReview[];
  approvals: string;
  approvals_in_force: string[];
  /** Earlier rejections of exactly these files. */
  rejected_before: Array<{ line: number; reviewer: string; notes: string; timestamp: string }>;
  signatures_checked: 'allowed_signers' | 'unsigned-policy';
  /** candidate.json as stored (a cache; `status` above is the truth). */
  record: ToolCandidate;
}

export interface ShowResult {
  tool_id: string;
  candidate: ShownCandidate | null;
  promoted: { entry: ToolRegistryEntry; metrics: ExecutionMetrics | null; spec: unknown } | null;
  history: AuditRecord[];
  /** Integrity findings (a forged candidate.json, a broken chain): shown, never hidden. */
  warnings: string[];
  /** What a run of this tool (its spec's permissions) gets on this machine now: every sandbox layer, or why one is off. */
  sandbox: MachineProtections & { permissions: string[] };
}

async function readJsonOrNull(file: string): Promise<unknown> {
  try {
    return JSON.parse(await readFile(file, 'utf8')) as unknown;
  } catch {
    return null;
  }
}

function permissionsOf(spec: unknown): string[] {
  const p = typeof spec === 'object' && spec !== null ? (spec as { permissions?: unknown }).permissions : undefined; // safe: a non-null object; permissions is typed unknown and checked before use
  return Array.isArray(p) ? p.filter((x): x is string => typeof x === 'string') : [];
}

/** `show`: everything a reviewer needs to decide about one tool, staged and/or promoted. */
export async function showTool(options: ShowOptions): Promise<ShowResult> {
  const open = await openWorkspace(options);
  const { workspace } = open;
  const id = assertToolId(options.toolId);
  const metadata = await readMetadata(workspace.registryDir);
  const entry = metadata.tools[id];
  let promoted: ShowResult['promoted'] = null;
  if (entry) {
    const specFile = path.join(versionDir(workspace.registryDir, id, entry.version), 'spec.json');
    promoted = { entry, metrics: (await readMetrics(workspace.registryDir))[id] ?? null, spec: existsSync(specFile) ? await readJsonOrNull(specFile) : null };
  }
  const warnings: string[] = [];
  let candidate: ShownCandidate | null = null;
  if (hasCandidate(workspace.stagedDir, id)) {
    const ctx = await openCandidate(open, id, { strict: false, checkSignatures: true, cwd: options.cwd });
    warnings.push(...ctx.warnings);
    candidate = await describeCandidate(ctx, open.config.policy, promoted?.spec ?? null, warnings);
  }
  if (!candidate && !promoted) throw new NotFoundError(`no candidate or promoted tool "${id}"`, 'list them with `toolsmith list`');
  const chain = await readAuditChain(workspace.registryDir);
  const history = chain.records.filter((r) => r.tool_id === id);
  const permissions = permissionsOf(promoted?.spec ?? candidate?.record.spec ?? null);
  const sandbox = { ...(await machineProtections(open.config.sandbox, permissions)), permissions };
  return { tool_id: id, candidate, promoted, history, warnings: [...new Set(warnings)], sandbox };
}

/** The protections a run would get here, for the permissions the (promoted, else staged) spec asks for. */
function machineProtections(sandbox: SandboxConfig, asked: readonly string[]): Promise<MachineProtections> {
  const permissions = asked.filter((p): p is Permission => ['fs:read', 'fs:write', 'net', 'env'].includes(p));
  const limits = { timeoutMs: sandbox.timeout_ms, maxHeapMb: sandbox.max_heap_mb, maxOutputBytes: sandbox.max_output_bytes, maxMemoryMb: sandbox.max_memory_mb, maxScratchMb: sandbox.max_scratch_mb };
  return describeProtections(limits, permissions, sandbox.isolation);
}

async function describeCandidate(ctx: CandidateContext, policy: Parameters<typeof describeApprovals>[1], promotedSpec: unknown, warnings: string[]): Promise<ShownCandidate> {
  const state = ctx.history.state;
  const record = ctx.record;
  const spec = (await readJsonOrNull(path.join(ctx.dir, 'spec.json'))) ?? record.spec;
  const report = record.validation_report !== null && hashJson(record.validation_report) === state.validation?.verdict.report_sha256 ? record.validation_report : null;
  if (state.validation && !report) warnings.push('the report of the last validation is not in candidate.json (an interrupted validate?): validate again to see it');
  const files = await listFiles(ctx.dir, (rel) => rel === BUILD_DIR);
  const sized = await Promise.all(files.map(async (f) => ({ path: f, bytes: (await stat(path.join(ctx.dir, f))).size })));
  const indexText = files.includes('index.ts') ? await readFile(path.join(ctx.dir, 'index.ts'), 'utf8') : null;
  const modules = await Promise.all(files.filter((f) => f !== 'index.ts' && isRuntimeSource(f)).map(async (f) => {
    const text = await readFile(path.join(ctx.dir, f), 'utf8');
    return { path: f, text: text.slice(0, MAX_CODE_CHARS), truncated: text.length > MAX_CODE_CHARS };
  }));
  const requested = permissionsOf(spec);
  const before = promotedSpec === null ? null : permissionsOf(promotedSpec);
  const reviews = state.epoch_reviews.map((f): ShownReview => ({
    line: f.line,
    decision: f.record.action === 'approve' ? 'APPROVED' : 'REJECTED',
    reviewer: f.record.reviewer,
    actor: f.record.actor,
    notes: f.record.notes,
    timestamp: f.record.ts,
    signature: f.signature,
    counts: f.counts,
    why: f.why,
  }));
  return {
    tool_id: ctx.id,
    version: state.version ?? record.version,
    status: state.status,
    effective_status: effectiveStatus(state, ctx.current),
    files_changed: state.validation !== null && !matchesValidation(state, ctx.current),
    spec,
    created_at: record.created_at,
    created_by: state.created_by ?? record.created_by,
    author: state.author,
    current_hashes: ctx.current,
    validated_hashes: state.validation ? { code_hash: state.validation.code_hash, spec_hash: state.validation.spec_hash } : null,
    verdict: state.validation?.verdict ?? null,
    validation_report: report,
    code: { index_ts: indexText === null ? null : indexText.slice(0, MAX_CODE_CHARS), truncated: (indexText?.length ?? 0) > MAX_CODE_CHARS, files: sized, modules },
    tests: await describeTests(ctx.dir, report),
    findings: report?.findings ?? [],
    permissions: {
      requested,
      promoted: before,
      added: requested.filter((p) => !(before ?? []).includes(p)),
      removed: (before ?? []).filter((p) => !requested.includes(p)),
    },
    reviews,
    approvals: describeApprovals(state, policy),
    approvals_in_force: state.approvals.map((f) => f.record.reviewer),
    rejected_before: ctx.history.rejections
      .filter((f) => f !== state.rejected && f.record.code_hash === ctx.current.code_hash && f.record.spec_hash === ctx.current.spec_hash)
      .map((f) => ({ line: f.line, reviewer: f.record.reviewer, notes: f.record.notes, timestamp: f.record.ts })),
    signatures_checked: policy.allowed_signers ? 'allowed_signers' : 'unsigned-policy',
    record,
  };
}

/** Each test case of tests.json (as on disk) beside what the last validation saw it do. */
async function describeTests(dir: string, report: ValidationReport | null): Promise<ShownTest[]> {
  const raw = await readJsonOrNull(path.join(dir, 'tests.json'));
  const cases = Array.isArray(raw) ? raw.filter((t): t is Record<string, unknown> => typeof t === 'object' && t !== null) : [];
  const results = report?.code_metrics?.functional_correctness.test_results ?? [];
  return cases.map((t) => {
    const name = typeof t['name'] === 'string' ? t['name'] : '(unnamed)';
    const result = results.find((r) => r.name === name);
    const shown: ShownTest = {
      name,
      input: t['input'],
      actual: result?.actual ?? null,
      passed: result ? result.passed : null,
      error: result?.error ? `${result.error.error.type}: ${result.error.error.message}` : null,
      diff: result?.diff ?? null,
    };
    if ('expected' in t) shown.expected = t['expected'];
    if (typeof t['expect_error'] === 'string') shown.expect_error = t['expect_error'];
    return shown;
  });
}
