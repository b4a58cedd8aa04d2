import path from 'node:path';
import { readMetadata, versionDir } from '../stores/registry-store.js';
import { checkFileManifest } from '../stores/file-manifest.js';
import { readAuditChain, readAuditLines, hashAuditLine } from '../stores/audit-log.js';
import { readCurrentHashes } from '../stores/staged-store.js';
import { hashBuild } from '../stores/hash.js';
import { openWorkspace, type CommandOptions } from '../workspace/open-workspace.js';

export interface VerifyProblem {
  tool_id: string | null;
  file: string;
  message: string;
}

export interface VerifyResult {
  ok: boolean;
  tools_checked: number;
  audit_lines: number;
  problems: VerifyProblem[];
  warnings: string[];
}

/**
 * `verify`: every promoted tool's files against the hashes recorded at promote time, the
 * hash chain of audit.jsonl, its head against metadata.json, and each promoted entry
 * against its `promote` line.
 */
export async function verifyRegistry(options: CommandOptions): Promise<VerifyResult> {
  const { workspace } = await openWorkspace(options);
  const registryDir = workspace.registryDir;
  const rel = (p: string) => path.relative(options.cwd, p) || '.';
  const metadata = await readMetadata(registryDir);
  const problems: VerifyProblem[] = [];
  const warnings: string[] = [];
  const auditPath = rel(path.join(registryDir, 'audit.jsonl'));

  for (const [toolId, entry] of Object.entries(metadata.tools)) {
    const dir = versionDir(registryDir, toolId, entry.version);
    for (const p of await checkFileManifest(dir, entry.files)) {
      problems.push({ tool_id: toolId, file: rel(path.join(dir, p.file)), message: `${p.problem} since promote` });
    }
    if (problems.some((p) => p.tool_id === toolId)) continue;
    const hashes = await readCurrentHashes(dir);
    if (hashes.code_hash !== entry.code_hash) problems.push({ tool_id: toolId, file: rel(dir), message: 'code_hash does not match metadata.json' });
    if (hashes.spec_hash !== entry.spec_hash) problems.push({ tool_id: toolId, file: rel(path.join(dir, 'spec.json')), message: 'spec_hash does not match metadata.json' });
    if ((await hashBuild(dir)) !== entry.build_hash) problems.push({ tool_id: toolId, file: rel(path.join(dir, 'build')), message: 'build_hash does not match metadata.json' });
  }

  const chain = await readAuditChain(registryDir);
  for (const p of chain.problems) problems.push({ tool_id: null, file: `${auditPath}:${p.line}`, message: p.message });
  const lines = await readAuditLines(registryDir);
  if (metadata.audit_head !== undefined) {
    const last = lines.at(-1);
    const beforeLast = lines.at(-2);
    if (last !== undefined && hashAuditLine(last) === metadata.audit_head) {
      // in step
    } else if (beforeLast !== undefined && hashAuditLine(beforeLast) === metadata.audit_head) {
      warnings.push(`${auditPath}:${lines.length}: a transition was interrupted after its audit line was written (metadata.json is one line behind)`);
    } else {
      problems.push({ tool_id: null, file: auditPath, message: 'the last line metadata.json recorded is missing (audit log truncated or rewritten)' });
    }
  } else if (lines.length > 0 && Object.keys(metadata.tools).length > 0) {
    problems.push({ tool_id: null, file: rel(path.join(registryDir, 'metadata.json')), message: 'metadata.json has no audit_head' });
  }

  for (const [toolId, entry] of Object.entries(metadata.tools)) {
    const promoted = chain.records.some((r) => r.action === 'promote' && r.tool_id === toolId && r.version === entry.version && r.code_hash === entry.code_hash && r.spec_hash === entry.spec_hash);
    if (!promoted) problems.push({ tool_id: toolId, file: auditPath, message: `no promote line for ${toolId} ${entry.version} with these hashes` });
  }
  return { ok: problems.length === 0, tools_checked: Object.keys(metadata.tools).length, audit_lines: lines.length, problems, warnings };
}
