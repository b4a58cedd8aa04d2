import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { AuditRecord, ExecutionMetrics, Permission, SandboxConfig, ToolCandidate, ToolRegistryEntry } from '../models/index.js';
import { NotFoundError } from '../models/errors.js';
import { readCandidate, readCurrentHashes, candidateDir, hasCandidate, assertToolId } from '../stores/staged-store.js';
import { readMetadata, readMetrics, versionDir } from '../stores/registry-store.js';
import { readAuditChain } from '../stores/audit-log.js';
import { openWorkspace, type CommandOptions } from '../workspace/open-workspace.js';
import { describeProtections, type MachineProtections } from '../runner/describe-sandbox.js';
import { approvalsInForce, effectiveStatus } from './plan-transition.js';

export interface ShowOptions extends CommandOptions {
  toolId: string;
}

export interface ShowResult {
  tool_id: string;
  candidate: (ToolCandidate & { effective_status: string; files_changed: boolean; current_hashes: { code_hash: string; spec_hash: string }; approvals_in_force: string[] }) | null;
  promoted: { entry: ToolRegistryEntry; metrics: ExecutionMetrics | null; spec: unknown } | null;
  history: AuditRecord[];
  /** What a run of this tool (its spec's permissions) gets on this machine now: every sandbox layer, or why one is off. */
  sandbox: MachineProtections;
}

/** `show`: everything a reviewer needs about one tool, staged and/or promoted. */
export async function showTool(options: ShowOptions): Promise<ShowResult> {
  const { workspace, config } = await openWorkspace(options);
  const id = assertToolId(options.toolId);
  let candidate: ShowResult['candidate'] = null;
  if (hasCandidate(workspace.stagedDir, id)) {
    const record = await readCandidate(workspace.stagedDir, id);
    const current = await readCurrentHashes(candidateDir(workspace.stagedDir, id));
    const status = effectiveStatus(record, current);
    candidate = {
      ...record,
      effective_status: status,
      files_changed: record.validation_report !== null && (record.validation_report.code_hash !== current.code_hash || record.validation_report.spec_hash !== current.spec_hash),
      current_hashes: current,
      approvals_in_force: approvalsInForce(record, current).map((f) => f.reviewer),
    };
  }
  const metadata = await readMetadata(workspace.registryDir);
  const entry = metadata.tools[id];
  let promoted: ShowResult['promoted'] = null;
  if (entry) {
    const specFile = path.join(versionDir(workspace.registryDir, id, entry.version), 'spec.json');
    const spec: unknown = existsSync(specFile) ? JSON.parse(await readFile(specFile, 'utf8')) : null;
    promoted = { entry, metrics: (await readMetrics(workspace.registryDir))[id] ?? null, spec };
  }
  if (!candidate && !promoted) throw new NotFoundError(`no candidate or promoted tool "${id}"`, 'list them with `toolsmith list`');
  const history = (await readAuditChain(workspace.registryDir)).records.filter((r) => r.tool_id === id);
  const sandbox = await machineProtections(config.sandbox, promoted?.spec ?? candidate?.spec);
  return { tool_id: id, candidate, promoted, history, sandbox };
}

/** The protections a run would get here, for the permissions the (promoted, else staged) spec asks for. */
function machineProtections(sandbox: SandboxConfig, spec: unknown): Promise<MachineProtections> {
  const asked = typeof spec === 'object' && spec !== null ? (spec as { permissions?: unknown }).permissions : undefined; // `as`: read defensively below
  const permissions = Array.isArray(asked) ? asked.filter((p): p is Permission => typeof p === 'string' && ['fs:read', 'fs:write', 'net', 'env'].includes(p)) : [];
  const limits = { timeoutMs: sandbox.timeout_ms, maxHeapMb: sandbox.max_heap_mb, maxOutputBytes: sandbox.max_output_bytes, maxMemoryMb: sandbox.max_memory_mb, maxScratchMb: sandbox.max_scratch_mb };
  return describeProtections(limits, permissions, sandbox.isolation);
}
