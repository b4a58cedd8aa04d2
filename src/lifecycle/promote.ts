import { cp, mkdir, rename, rm, readdir, stat, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import type { ToolCandidate, ToolRegistryEntry } from '../models/index.js';
import { IllegalTransitionError, IntegrityError, NegativeOutcomeError } from '../models/errors.js';
import { buildPackage } from '../build/build-package.js';
import { readCurrentHashes } from '../stores/staged-store.js';
import { readCandidateSpec } from '../stores/read-candidate-spec.js';
import { checkFileManifest, createFileManifest, PROMOTION_RECORD } from '../stores/file-manifest.js';
import { BUILD_DIR, hashBuild, sha256 } from '../stores/hash.js';
import { formatJson, writeJsonAtomically } from '../stores/atomic-write.js';
import { withRegistryLock } from '../stores/lock.js';
import { readMetadata, versionDir, writeMetadata } from '../stores/registry-store.js';
import { commitTransitionLocked } from '../stores/record-transition.js';
import { readAuditChain, type AuditEntry } from '../stores/audit-log.js';
import type { AuditRecordOf } from '../models/index.js';
import { openWorkspace, type OpenWorkspace } from '../workspace/open-workspace.js';
import { planPromotion } from './plan-transition.js';
import { foldCandidate, toUserFeedback, type ReviewFact } from './candidate-state.js';
import { openCandidate, type CandidateContext } from './open-candidate.js';
import { resolveActor } from './resolve-actor.js';
import { resolveSignKey, type TransitionOptions, type TransitionResult } from './review.js';
import { hashJson } from '../stores/hash.js';

export interface PromoteResult extends TransitionResult {
  version: string;
  path: string;
  entry: ToolRegistryEntry;
  /** True when this exact version and content was already promoted (an idempotent re-run). */
  already_promoted: boolean;
  /** The reviewers whose approvals counted. */
  approved_by: string[];
  /** The signed promotion record's path, when one was written. */
  promotion_record: string | null;
}

interface Prepared {
  dir: string;
  entry: ToolRegistryEntry;
  promotionSha256: string | null;
}

/**
 * APPROVED -> PROMOTED (SPEC 1, 6). The audit chain decides: the promote line needs, after
 * the last validation of exactly these hashes, a passing report, a stage line and the
 * approvals the policy requires (planPromotion). A built copy of the package is frozen in a
 * temporary folder (and signed when a key is given); then, under the registry lock, the
 * guard is checked again against the chain as it is, the folder is renamed into
 * registry/tools/<id>/<version>/, and the promote line (carrying every file's hash and the
 * build hash, so `run` and `verify` can anchor metadata.json in it) and metadata.json are
 * written; finally the candidate leaves staged/.
 */
export async function promoteCandidate(options: TransitionOptions): Promise<PromoteResult> {
  const open = await openWorkspace(options);
  const actor = resolveActor(options, open);
  const ctx = await openCandidate(open, options.toolId, { strict: true, checkSignatures: true, cwd: options.cwd });
  const { workspace, config } = open;
  const state = ctx.history.state;
  if (state.status === 'PROMOTED' && state.promoted) return finishInterruptedPromote(open, ctx, actor, state.promoted);
  const plan = planPromotion(state, { current: ctx.current, policy: config.policy });
  const version = state.version ?? ctx.record.version;
  const at = open.now();
  const { spec } = await readCandidateSpec(workspace.stagedDir, ctx.id);
  const target = versionDir(workspace.registryDir, ctx.id, version);
  const frozenRecord: ToolCandidate = {
    ...ctx.record,
    spec,
    version,
    status: 'PROMOTED',
    package_path: path.relative(workspace.root, target),
    user_feedback: state.epoch_reviews.map((f) => toUserFeedback(f.record)),
    validation_report: ctx.record.validation_report !== null && hashJson(ctx.record.validation_report) === state.validation?.verdict.report_sha256 ? ctx.record.validation_report : null,
  };
  const key = resolveSignKey(options);
  // The slow part (copy, transpile, validator compile, hashing, signing) happens before the
  // lock, in a private temporary folder: concurrent promotes only queue for the commit.
  const prepared = await prepareVersion(ctx.dir, target, frozenRecord, ctx.current, at, actor, plan.counted, key, ctx.signers);
  let result: { entry: ToolRegistryEntry; already: boolean };
  try {
    result = await withRegistryLock(workspace.registryDir, async () => {
      // Check the guard again against the chain as it is now (a reject may have landed meanwhile).
      const chain = await readAuditChain(workspace.registryDir);
      if (chain.problems[0]) throw new IntegrityError(`registry/audit.jsonl:${chain.problems[0].line}: ${chain.problems[0].message}`, 'run `toolsmith verify`');
      const fresh = foldCandidate(chain.entries, ctx.id, { policy: config.policy, signatures: ctx.signatures }).state;
      const again = planPromotion(fresh, { current: ctx.current, policy: config.policy });
      if (again.counted.map((f) => f.hash).join() !== plan.counted.map((f) => f.hash).join()) {
        throw new IllegalTransitionError(`${ctx.id}: cannot promote: its reviews changed while promoting`, 'run promote again');
      }
      const existing = (await readMetadata(workspace.registryDir)).tools[ctx.id];
      if (existsSync(target)) {
        // The folder's own files decide, not metadata: an older version is still immutable
        // after a newer one was promoted, and a killed promote leaves a folder metadata lacks.
        const frozen = await readCurrentHashes(target).catch(() => null);
        const sameContent = frozen?.code_hash === ctx.current.code_hash && frozen.spec_hash === ctx.current.spec_hash;
        if (!sameContent && frozen !== null) {
          throw new IllegalTransitionError(
            `${ctx.id}: cannot promote: version ${version} is already promoted with other content`,
            'promoted versions are immutable: generate the next version (`toolsmith generate --spec FILE --tool-version X.Y.Z`), validate and review it',
          );
        }
        if (sameContent && existing?.version === version && existing.code_hash === ctx.current.code_hash) {
          return { entry: existing, already: true };
        }
        // Same content but not (or no longer) in metadata, or an unreadable half-copy: replace it.
        await rm(target, { recursive: true, force: true });
      }
      await rename(prepared.dir, target);
      const entry: ToolRegistryEntry = prepared.entry;
      await commitTransitionLocked(workspace.registryDir, {
        ts: at.toISOString(),
        action: 'promote',
        tool_id: ctx.id,
        version,
        actor,
        ...ctx.current,
        files: entry.files,
        build_hash: entry.build_hash,
        approved_by: plan.counted.map((f) => f.record.reviewer),
        approvals: plan.counted.map((f) => f.hash),
        promotion_sha256: prepared.promotionSha256,
      }, (m) => {
        m.tools[ctx.id] = entry;
      });
      return { entry, already: false };
    });
  } finally {
    await rm(prepared.dir, { recursive: true, force: true });
  }
  await removeCandidate(workspace.stagedDir, ctx.dir, ctx.id);
  const relPath = path.relative(workspace.root, target);
  return {
    tool_id: ctx.id,
    action: 'promote',
    from: plan.from,
    to: 'PROMOTED',
    candidate: frozenRecord,
    actor,
    warnings: ctx.warnings,
    version,
    path: relPath,
    entry: result.entry,
    already_promoted: result.already,
    approved_by: plan.counted.map((f) => f.record.reviewer),
    promotion_record: !result.already && prepared.promotionSha256 ? path.join(relPath, PROMOTION_RECORD) : null,
  };
}

/**
 * The chain already holds this candidate's promote line (a promote was killed after writing
 * it): when the frozen folder still matches the line, complete metadata.json from the line
 * and drop the candidate; nothing new is appended.
 */
async function finishInterruptedPromote(open: OpenWorkspace, ctx: CandidateContext, actor: string, promoted: AuditEntry): Promise<PromoteResult> {
  const { workspace } = open;
  const line = promoted.record as AuditRecordOf<'promote'>; // safe: `promoted` is only ever set from a promote line
  const target = versionDir(workspace.registryDir, ctx.id, line.version);
  const entry = await withRegistryLock(workspace.registryDir, async () => {
    const problems = await checkFileManifest(target, line.files);
    if (problems.length > 0) {
      throw new IntegrityError(`${ctx.id}: its promote line (registry/audit.jsonl:${promoted.line}) names files the frozen folder does not have (${problems.map((p) => `${p.file} ${p.problem}`).join(', ')})`, 'run `toolsmith verify`');
    }
    const metadata = await readMetadata(workspace.registryDir);
    const current = metadata.tools[ctx.id];
    if (current?.version === line.version && current.build_hash === line.build_hash) return current;
    const fresh: ToolRegistryEntry = {
      version: line.version,
      path: path.relative(workspace.registryDir, target).split(path.sep).join('/'),
      spec_hash: line.spec_hash,
      code_hash: line.code_hash,
      build_hash: line.build_hash,
      files: line.files,
      promoted_at: line.ts,
      created_by: ctx.history.state.created_by ?? ctx.record.created_by,
      approved_by: line.approved_by,
    };
    metadata.tools[ctx.id] = fresh;
    const chain = await readAuditChain(workspace.registryDir);
    if (chain.head) metadata.audit_head = chain.head;
    await writeMetadata(workspace.registryDir, metadata);
    return fresh;
  });
  await removeCandidate(workspace.stagedDir, ctx.dir, ctx.id);
  const relPath = path.relative(workspace.root, target);
  return {
    tool_id: ctx.id, action: 'promote', from: 'PROMOTED', to: 'PROMOTED', candidate: ctx.record, actor, warnings: ctx.warnings,
    version: line.version, path: relPath, entry, already_promoted: true, approved_by: line.approved_by, promotion_record: null,
  };
}

/**
 * Copies the package into a temporary folder beside its final place, builds it, hashes
 * every file and (with a key) writes the signed promotion record: the registry entry to
 * commit. The caller renames the folder into place.
 */
async function prepareVersion(
  sourceDir: string,
  target: string,
  promoted: ToolCandidate,
  current: { code_hash: string; spec_hash: string },
  at: Date,
  actor: string,
  counted: readonly ReviewFact[],
  key: { file: string; shownAs: string } | null,
  signers: CandidateContext['signers'],
): Promise<Prepared> {
  const parent = path.dirname(target);
  await mkdir(parent, { recursive: true });
  await removeStaleTemps(parent);
  const tmp = path.join(parent, `.tmp-${promoted.version}-${randomBytes(4).toString('hex')}`);
  if (existsSync(path.join(sourceDir, PROMOTION_RECORD))) {
    throw new IllegalTransitionError(`${promoted.tool_id}: cannot promote: the package holds ${PROMOTION_RECORD}, a name reserved for the signed promotion record`, `rename or remove staged/${promoted.tool_id}/${PROMOTION_RECORD}, then validate and review again`);
  }
  try {
    await cp(sourceDir, tmp, { recursive: true, filter: (src) => path.relative(sourceDir, src).split(path.sep)[0] !== BUILD_DIR });
    await writeJsonAtomically(path.join(tmp, 'candidate.json'), promoted);
    const errors = await buildPackage(tmp, promoted.spec);
    if (errors.length > 0) throw new NegativeOutcomeError(`${promoted.tool_id}: cannot promote: the build failed: ${errors.join('; ')}`);
    const frozen = await readCurrentHashes(tmp);
    if (frozen.code_hash !== current.code_hash || frozen.spec_hash !== current.spec_hash) {
      throw new IllegalTransitionError(`${promoted.tool_id}: cannot promote: its files changed while promoting`, 'run promote again');
    }
    const entry: ToolRegistryEntry = {
      version: promoted.version,
      path: path.relative(path.dirname(path.dirname(parent)), target).split(path.sep).join('/'),
      spec_hash: current.spec_hash,
      code_hash: current.code_hash,
      build_hash: await hashBuild(tmp),
      files: await createFileManifest(tmp),
      promoted_at: at.toISOString(),
      created_by: promoted.created_by,
      approved_by: counted.map((f) => f.record.reviewer),
    };
    let promotionSha256: string | null = null;
    if (key) {
      const text = await createPromotionRecord(entry, promoted.tool_id, actor, counted, key, signers);
      await writeFile(path.join(tmp, PROMOTION_RECORD), text);
      promotionSha256 = sha256(text);
    }
    return { dir: tmp, entry, promotionSha256 };
  } catch (error) {
    await rm(tmp, { recursive: true, force: true });
    throw error;
  }
}

/** The signed promotion record: an in-toto statement over every frozen file, and its SSH signature. */
async function createPromotionRecord(
  entry: ToolRegistryEntry,
  toolId: string,
  promoter: string,
  counted: readonly ReviewFact[],
  key: { file: string; shownAs: string },
  signers: CandidateContext['signers'],
): Promise<string> {
  const { createPromotionStatement, statementBytes } = await import('../stores/attestation.js');
  const { signBytes } = await import('../stores/ssh-signature.js');
  const { checkOneSignature } = await import('./review-signatures.js');
  const statement = createPromotionStatement(entry.files, {
    tool_id: toolId,
    version: entry.version,
    code_hash: entry.code_hash,
    spec_hash: entry.spec_hash,
    build_hash: entry.build_hash,
    promoted_at: entry.promoted_at,
    promoter,
    approvals: counted.map((f) => ({ reviewer: f.record.reviewer, audit_line_sha256: f.hash })),
  });
  const bytes = statementBytes(statement);
  const signature = await signBytes(key.file, bytes, key.shownAs);
  const status = await checkOneSignature(bytes, signature, promoter, entry.promoted_at, signers);
  if (status === 'bad' || (signers && status !== 'verified')) {
    throw new IllegalTransitionError(`${toolId}: cannot promote: the signing key is not listed for ${promoter} in allowed_signers`, `sign with the key listed for ${promoter} (TOOLSMITH_ACTOR names who promotes), or add it to allowed_signers`);
  }
  return formatJson({ payload_type: 'application/vnd.in-toto+json', statement, signer: promoter, signature });
}

/**
 * Takes the promoted candidate out of staged/ by one rename, then deletes it: a crash
 * mid-delete leaves a hidden temporary, never a half-deleted candidate that `list`,
 * `show` and a re-run `promote` would choke on.
 */
async function removeCandidate(stagedDir: string, sourceDir: string, toolId: string): Promise<void> {
  const trash = path.join(stagedDir, `.tmp-promoted-${toolId}-${randomBytes(4).toString('hex')}`);
  const moved = await rename(sourceDir, trash).then(() => true, () => false);
  await rm(moved ? trash : sourceDir, { recursive: true, force: true });
}

/** A temporary folder older than this belongs to a promote that died: no live one takes so long. */
const STALE_TEMP_MS = 10 * 60 * 1000;

/**
 * Removes `.tmp-*` folders that promotes killed mid-way left behind. Runs outside the lock,
 * so only old ones go: a younger one may be another promote's work in progress.
 */
async function removeStaleTemps(parent: string): Promise<void> {
  const cutoff = Date.now() - STALE_TEMP_MS;
  for (const entry of await readdir(parent, { withFileTypes: true })) {
    if (!entry.isDirectory() || !entry.name.startsWith('.tmp-')) continue;
    const dir = path.join(parent, entry.name);
    const info = await stat(dir).catch(() => null);
    if (info && info.mtimeMs < cutoff) await rm(dir, { recursive: true, force: true });
  }
}
