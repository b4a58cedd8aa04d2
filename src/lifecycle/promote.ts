import { rename, rm } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import type { ToolCandidate, ToolRegistryEntry } from '../models/index.js';
import { IllegalTransitionError, IntegrityError } from '../models/errors.js';
import { readCurrentHashes } from '../stores/staged-store.js';
import { readCandidateSpec } from '../stores/read-candidate-spec.js';
import { checkFileManifest, PROMOTION_RECORD } from '../stores/file-manifest.js';
import { withRegistryLock } from '../stores/lock.js';
import { readMetadata, versionDir, writeMetadata } from '../stores/registry-store.js';
import { commitTransitionLocked } from '../stores/record-transition.js';
import { readAuditChain, type AuditEntry } from '../stores/audit-log.js';
import type { AuditRecordOf } from '../models/index.js';
import { openWorkspace, type OpenWorkspace } from '../workspace/open-workspace.js';
import { planPromotion } from './plan-transition.js';
import { foldCandidate, toUserFeedback } from './candidate-state.js';
import { prepareVersion } from './freeze-version.js';
import { openCandidate, type CandidateContext } from './open-candidate.js';
import { resolveActor } from './resolve-actor.js';
import { resolveSignKey, type TransitionOptions, type TransitionResult } from './apply-transition.js';
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
// eslint-disable-next-line max-lines-per-function -- the promote steps in order, under one registry lock
export async function promoteCandidate(options: TransitionOptions): Promise<PromoteResult> {
  const open = await openWorkspace(options);
  const actor = resolveActor(options, open);
  const ctx = await openCandidate(open, options.toolId, { strict: true, checkSignatures: true, cwd: options.cwd });
  const { workspace, config } = open;
  const state = ctx.history.state;
  if (state.status === 'PROMOTED' && state.promoted) return finishInterruptedPromote(open, ctx, actor, state.promoted);
  const plan = planPromotion(state, { current: ctx.current, policy: config.policy, actor });
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
  const prepared = await prepareVersion(ctx.dir, target, frozenRecord, ctx.current, at, plan.actor, plan.approvals, key, ctx.signers);
  let result: { entry: ToolRegistryEntry; already: boolean };
  try {
    result = await withRegistryLock(workspace.registryDir, async () => {
      // Check the guard again against the chain as it is now (a reject may have landed meanwhile).
      const chain = await readAuditChain(workspace.registryDir);
      if (chain.problems[0]) throw new IntegrityError(`registry/audit.jsonl:${chain.problems[0].line}: ${chain.problems[0].message}`, 'run `toolsmith verify`');
      const fresh = foldCandidate(chain.entries, ctx.id, { policy: config.policy, signatures: ctx.signatures, signers: ctx.signers }).state;
      const again = planPromotion(fresh, { current: ctx.current, policy: config.policy, actor: plan.actor });
      if (again.approvals.map((f) => f.hash).join() !== plan.approvals.map((f) => f.hash).join()) {
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
        actor: plan.actor,
        ...ctx.current,
        files: entry.files,
        build_hash: entry.build_hash,
        approved_by: plan.approvals.map((f) => f.record.reviewer),
        approvals: plan.approvals.map((f) => f.hash),
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
    actor: plan.actor,
    warnings: ctx.warnings,
    version,
    path: relPath,
    entry: result.entry,
    already_promoted: result.already,
    approved_by: plan.approvals.map((f) => f.record.reviewer),
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
  if (line.code_hash !== ctx.current.code_hash || line.spec_hash !== ctx.current.spec_hash) {
    throw new IllegalTransitionError(`${ctx.id}: cannot promote: ${line.version} is already promoted (registry/audit.jsonl:${promoted.line}) and the files in staged/ changed since`, `generate the next version: toolsmith generate --spec FILE --force`);
  }
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
 * Takes the promoted candidate out of staged/ by one rename, then deletes it: a crash
 * mid-delete leaves a hidden temporary, never a half-deleted candidate that `list`,
 * `show` and a re-run `promote` would choke on.
 */
async function removeCandidate(stagedDir: string, sourceDir: string, toolId: string): Promise<void> {
  const trash = path.join(stagedDir, `.tmp-promoted-${toolId}-${randomBytes(4).toString('hex')}`);
  const moved = await rename(sourceDir, trash).then(() => true, () => false);
  await rm(moved ? trash : sourceDir, { recursive: true, force: true });
}
