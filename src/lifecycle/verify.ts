import path from 'node:path';
import { readFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { isDeepStrictEqual } from 'node:util';
import type { AuditRecordOf, RegistryMetadata } from '../models/index.js';
import { readMetadata, versionDir } from '../stores/registry-store.js';
import { checkFileManifest, PROMOTION_RECORD } from '../stores/file-manifest.js';
import { readAuditChain, type AuditChain, type AuditEntry } from '../stores/audit-log.js';
import { anchorProblems, findLatestPromote } from '../stores/registry-anchor.js';
import { readCurrentHashes } from '../stores/staged-store.js';
import { hashBuild, sha256 } from '../stores/hash.js';
import { createPromotionStatement, statementBytes, PROMOTION_PREDICATE_TYPE } from '../stores/attestation.js';
import type { AllowedSigner } from '../stores/allowed-signers.js';
import { openWorkspace, type CommandOptions } from '../workspace/open-workspace.js';
import { foldCandidate, type SignatureStatus } from './candidate-state.js';
import { checkPromotionGuard } from './plan-transition.js';
import { checkOneSignature, checkReviewSignatures, loadAllowedSigners, signatureTime } from './review-signatures.js';

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
  /** How approvals were checked: against policy.allowed_signers, or not at all (names only). */
  signatures: { policy: 'allowed_signers' | 'unsigned'; signed_reviews: number; unsigned_approvals: number; signed_promotions: number };
}

interface VerifyContext {
  registryDir: string;
  auditPath: string;
  rel: (p: string) => string;
  problems: VerifyProblem[];
  warnings: string[];
}

/**
 * `verify`: bytes and governance. Every promoted tool's files against the hashes recorded at
 * promote time; the hash chain of audit.jsonl and its head against metadata.json; each
 * metadata.json entry anchored in its promote line; each promote line preceded by what
 * the policy requires (a passing validation of exactly those hashes, a stage, enough
 * approvals by reviewers who are not the author, signed where policy.allowed_signers says,
 * no reject since); every signature (reviews and promotion records) verifies.
 */
export async function verifyRegistry(options: CommandOptions): Promise<VerifyResult> {
  const { workspace, config } = await openWorkspace(options);
  const registryDir = workspace.registryDir;
  const rel = (p: string) => path.relative(options.cwd, p) || '.';
  const metadata = await readMetadata(registryDir);
  const v: VerifyContext = { registryDir, auditPath: rel(path.join(registryDir, 'audit.jsonl')), rel, problems: [], warnings: [] };
  const signers = await loadAllowedSigners(workspace.root, config.policy.allowed_signers, options.cwd);

  await checkFiles(v, metadata);
  const chain = await readAuditChain(registryDir);
  for (const p of chain.problems) v.problems.push({ tool_id: null, file: `${v.auditPath}:${p.line}`, message: p.message });
  const interrupted = checkHead(v, metadata, chain);
  checkAnchors(v, metadata, chain, interrupted);
  await checkOlderVersions(v, metadata, chain);

  const signatures = await checkReviewSignatures(chain.entries, signers);
  for (const e of chain.entries) {
    const status = signatures.get(e.hash);
    if (status === 'bad') v.problems.push({ tool_id: e.record.tool_id, file: `${v.auditPath}:${e.line}`, message: `the signature of this ${e.record.action} does not match the line or the history before it (edited after signing)` });
    else if (status === 'unlisted' && e.record.action === 'approve') v.warnings.push(`${v.auditPath}:${e.line}: ${e.record.tool_id}: the approval by ${e.record.reviewer} is signed by a key not listed for them in allowed_signers (it does not count)`);
  }
  checkGovernance(v, chain, config.policy, signatures, signers);
  const signedPromotions = await checkPromotionRecords(v, chain, signers);

  const unsignedApprovals = chain.records.filter((r) => r.action === 'approve' && r.signature === undefined).length;
  return {
    ok: v.problems.length === 0,
    tools_checked: Object.keys(metadata.tools).length,
    audit_lines: chain.lineCount,
    problems: v.problems,
    warnings: v.warnings,
    signatures: { policy: config.policy.allowed_signers ? 'allowed_signers' : 'unsigned', signed_reviews: signatures.size, unsigned_approvals: unsignedApprovals, signed_promotions: signedPromotions },
  };
}

/** Every promoted tool's files against metadata.json's per-file hashes (naming the file). */
async function checkFiles(v: VerifyContext, metadata: RegistryMetadata): Promise<void> {
  for (const [toolId, entry] of Object.entries(metadata.tools)) {
    const dir = versionDir(v.registryDir, toolId, entry.version);
    const before = v.problems.length;
    for (const p of await checkFileManifest(dir, entry.files)) {
      v.problems.push({ tool_id: toolId, file: v.rel(path.join(dir, p.file)), message: `${p.problem} since promote` });
    }
    if (v.problems.length > before) continue;
    const hashes = await readCurrentHashes(dir);
    if (hashes.code_hash !== entry.code_hash) v.problems.push({ tool_id: toolId, file: v.rel(dir), message: 'code_hash does not match metadata.json' });
    if (hashes.spec_hash !== entry.spec_hash) v.problems.push({ tool_id: toolId, file: v.rel(path.join(dir, 'spec.json')), message: 'spec_hash does not match metadata.json' });
    if ((await hashBuild(dir)) !== entry.build_hash) v.problems.push({ tool_id: toolId, file: v.rel(path.join(dir, 'build')), message: 'build_hash does not match metadata.json' });
  }
}

/**
 * Every older promoted version (one metadata.json no longer names, still runnable as
 * `run tool@version`) against the per-file hashes of its own promote line: `run` refuses a
 * changed one and sends the user to `verify`, which must then say what changed.
 */
async function checkOlderVersions(v: VerifyContext, metadata: RegistryMetadata, chain: AuditChain): Promise<void> {
  const lines = new Map<string, AuditRecordOf<'promote'>>();
  for (const e of chain.entries) if (e.record.action === 'promote') lines.set(`${e.record.tool_id}@${e.record.version}`, e.record);
  for (const line of lines.values()) {
    if (metadata.tools[line.tool_id]?.version === line.version) continue; // checkFiles covers the current version
    const dir = versionDir(v.registryDir, line.tool_id, line.version);
    if (!existsSync(dir)) continue; // removed versions cannot run (`run` finds no folder); not tampering with what runs
    const problems = await checkFileManifest(dir, line.files).catch((error: unknown) => [{ file: '.', problem: error instanceof Error ? error.message : String(error) }]);
    for (const p of problems) v.problems.push({ tool_id: line.tool_id, file: v.rel(path.join(dir, p.file)), message: `${p.problem} since promote of ${line.version} (older version)` });
  }
}

/** metadata.json's audit_head names the last line (or the one before: an interrupted transition). Returns whether it is one behind. */
function checkHead(v: VerifyContext, metadata: RegistryMetadata, chain: AuditChain): boolean {
  const hashes = chain.entries.map((e) => e.hash);
  if (metadata.audit_head !== undefined) {
    if (chain.head === metadata.audit_head) return false;
    if (chain.lineCount >= 2 && hashes.length === chain.lineCount && hashes[hashes.length - 2] === metadata.audit_head) {
      v.warnings.push(`${v.auditPath}:${chain.lineCount}: a transition was interrupted after its audit line was written (metadata.json is one line behind)`);
      return true;
    }
    v.problems.push({ tool_id: null, file: v.auditPath, message: 'the last line metadata.json recorded is missing (audit log truncated or rewritten)' });
  } else if (chain.lineCount > 0 && Object.keys(metadata.tools).length > 0) {
    v.problems.push({ tool_id: null, file: v.rel(path.join(v.registryDir, 'metadata.json')), message: 'metadata.json has no audit_head' });
  }
  return false;
}

/** Each metadata.json entry equals its tool's latest promote line; each promoted tool is listed. */
function checkAnchors(v: VerifyContext, metadata: RegistryMetadata, chain: AuditChain, interrupted: boolean): void {
  for (const [toolId, entry] of Object.entries(metadata.tools)) {
    const promote = findLatestPromote(chain, toolId);
    const file = v.rel(path.join(v.registryDir, 'metadata.json'));
    if (!promote) {
      v.problems.push({ tool_id: toolId, file, message: `${toolId} ${entry.version}: no promote line in ${v.auditPath} anchors this entry` });
      continue;
    }
    const problems = anchorProblems(entry, promote.record);
    if (!isDeepStrictEqual([...entry.approved_by].sort(), [...promote.record.approved_by].sort())) problems.push('approved_by differs');
    if (problems.length > 0) v.problems.push({ tool_id: toolId, file, message: `${toolId} ${entry.version} is not anchored in its promote line (${v.auditPath}:${promote.line}): ${problems.join('; ')}` });
  }
  const last = chain.entries.at(-1);
  for (const toolId of new Set(chain.records.filter((r) => r.action === 'promote').map((r) => r.tool_id))) {
    if (toolId in metadata.tools) continue;
    const pending = interrupted && last?.record.action === 'promote' && last.record.tool_id === toolId;
    if (!pending) v.problems.push({ tool_id: toolId, file: v.rel(path.join(v.registryDir, 'metadata.json')), message: `${toolId} was promoted (${v.auditPath}) but metadata.json does not list it` });
  }
}

/** Each promote line is preceded by what the policy requires (item 1 of issue 8's rules). */
function checkGovernance(v: VerifyContext, chain: AuditChain, policy: Parameters<typeof checkPromotionGuard>[2], signatures: ReadonlyMap<string, SignatureStatus>, signers: readonly AllowedSigner[] | null): void {
  for (const toolId of new Set(chain.records.map((r) => r.tool_id))) {
    const history = foldCandidate(chain.entries, toolId, { policy, signatures, signers });
    for (const p of history.problems) v.problems.push({ tool_id: toolId, file: `${v.auditPath}:${p.line}`, message: p.message });
    for (const { entry, before } of history.promotions) {
      const line = entry.record as AuditRecordOf<'promote'>; // safe: promotions holds promote lines only
      const guard = checkPromotionGuard(before, line, policy);
      if (!before.known || before.version !== line.version) guard.reasons.unshift(`its version ${line.version} is not the generated ${before.version ?? '(none)'}`);
      const counted = new Set(guard.counted.map((f) => f.hash));
      const claimed = line.approvals.filter((h) => !counted.has(h));
      if (claimed.length > 0) guard.reasons.push(`it names ${claimed.length} approval line(s) that do not count`);
      const countedNames = guard.counted.map((f) => f.record.reviewer).sort();
      if (!isDeepStrictEqual([...line.approved_by].sort(), countedNames)) guard.reasons.push(`its approved_by (${line.approved_by.join(', ') || 'nobody'}) is not the reviewers whose approvals count (${countedNames.join(', ') || 'nobody'})`);
      if (guard.reasons.length > 0) v.problems.push({ tool_id: toolId, file: `${v.auditPath}:${entry.line}`, message: `promote of ${toolId} ${line.version} is not governed: ${[...new Set(guard.reasons)].join('; ')}` });
    }
  }
}

/** Each promotion record beside a frozen version matches its promote line and its signature verifies. */
async function checkPromotionRecords(v: VerifyContext, chain: AuditChain, signers: readonly AllowedSigner[] | null): Promise<number> {
  const latest = new Map<string, AuditEntry & { record: AuditRecordOf<'promote'> }>();
  const clockBefore = new Map<string, string>();
  let clock = '';
  for (const e of chain.entries) {
    clockBefore.set(e.hash, clock);
    if (e.record.ts > clock) clock = e.record.ts;
    if (e.record.action === 'promote') latest.set(`${e.record.tool_id}@${e.record.version}`, e as AuditEntry & { record: AuditRecordOf<'promote'> }); // safe: action === 'promote' picks the promote records
  }
  let signed = 0;
  for (const e of latest.values()) {
    const r = e.record;
    const file = path.join(versionDir(v.registryDir, r.tool_id, r.version), PROMOTION_RECORD);
    const text = await readFile(file, 'utf8').catch(() => null);
    const where = { tool_id: r.tool_id, file: v.rel(file) };
    if (text === null) {
      if (r.promotion_sha256 !== null) v.problems.push({ ...where, message: `missing (its promote line ${v.auditPath}:${e.line} recorded a signed promotion record)` });
      continue;
    }
    if (r.promotion_sha256 === null) {
      v.problems.push({ ...where, message: `not written by its promote (${v.auditPath}:${e.line} records no promotion record)` });
      continue;
    }
    if (sha256(text) !== r.promotion_sha256) {
      v.problems.push({ ...where, message: `modified since promote (its SHA-256 differs from ${v.auditPath}:${e.line})` });
      continue;
    }
    signed++;
    const problem = await promotionRecordProblem(text, r, signers, signatureTime(r.ts, clockBefore.get(e.hash) ?? ''));
    if (problem) v.problems.push({ ...where, message: problem });
  }
  return signed;
}

async function promotionRecordProblem(text: string, line: AuditRecordOf<'promote'>, signers: readonly AllowedSigner[] | null, at: string): Promise<string | null> {
  let record: { statement?: { predicateType?: string; predicate?: Record<string, unknown> }; signature?: unknown; signer?: unknown };
  try {
    record = JSON.parse(text) as typeof record; // safe: every field is optional and checked before use
  } catch {
    return 'not valid JSON';
  }
  const p = record.statement?.predicate;
  if (record.statement?.predicateType !== PROMOTION_PREDICATE_TYPE || !p || typeof record.signature !== 'string' || record.signer !== line.actor) return 'not a promotion record of this promote line';
  const expected = createPromotionStatement(line.files, {
    tool_id: line.tool_id,
    version: line.version,
    code_hash: line.code_hash,
    spec_hash: line.spec_hash,
    build_hash: line.build_hash,
    promoted_at: line.ts,
    promoter: line.actor,
    approvals: line.approved_by.map((reviewer, i) => ({ reviewer, audit_line_sha256: line.approvals[i] ?? '' })),
  });
  if (!isDeepStrictEqual(record.statement, expected)) return 'its statement does not match its promote line';
  const status = await checkOneSignature(statementBytes(expected), record.signature, line.actor, at, signers);
  if (status === 'bad') return 'its signature does not verify';
  if (signers && status !== 'verified') return `signed by a key not listed for ${line.actor} in allowed_signers`;
  return null;
}
