import { cp, mkdir, rename, rm, readdir, stat } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import type { ToolCandidate, ToolRegistryEntry } from '../models/index.js';
import { IllegalTransitionError, NegativeOutcomeError } from '../models/errors.js';
import { buildPackage } from '../build/build-package.js';
import { readCandidate, readCurrentHashes, candidateDir } from '../stores/staged-store.js';
import { readCandidateSpec } from '../stores/read-candidate-spec.js';
import { createFileManifest } from '../stores/file-manifest.js';
import { BUILD_DIR, hashBuild } from '../stores/hash.js';
import { writeJsonAtomically } from '../stores/atomic-write.js';
import { withRegistryLock } from '../stores/lock.js';
import { readMetadata, versionDir } from '../stores/registry-store.js';
import { commitTransitionLocked } from '../stores/record-transition.js';
import { openWorkspace } from '../workspace/open-workspace.js';
import { planTransition } from './plan-transition.js';
import type { TransitionOptions, TransitionResult } from './review.js';

export interface PromoteResult extends TransitionResult {
  version: string;
  path: string;
  entry: ToolRegistryEntry;
  /** True when this exact version and content was already promoted (an idempotent re-run). */
  already_promoted: boolean;
}

/**
 * APPROVED -> PROMOTED (SPEC 1, 6): freeze a built copy of the package (compiled code and
 * validators, made once here) in a temporary folder; then, under the registry lock, check
 * immutability, rename it to registry/tools/<id>/<version>/ and write the audit line and
 * metadata.json; finally drop the candidate from staged/.
 * Each file write is atomic and the version folder appears by one rename, so a crash at
 * any moment leaves a registry that `verify` accepts.
 */
export async function promoteCandidate(options: TransitionOptions): Promise<PromoteResult> {
  const { workspace, config, now, actor } = await openWorkspace(options);
  const sourceDir = candidateDir(workspace.stagedDir, options.toolId);
  const candidate = await readCandidate(workspace.stagedDir, options.toolId);
  const current = await readCurrentHashes(sourceDir);
  const at = now();
  const plan = planTransition(candidate, 'promote', { current, policy: config.policy, now: at, reviewer: actor });
  const { spec } = await readCandidateSpec(workspace.stagedDir, options.toolId);
  const promoted: ToolCandidate = { ...plan.next, spec, package_path: path.relative(workspace.root, versionDir(workspace.registryDir, candidate.tool_id, candidate.version)) };

  const target = versionDir(workspace.registryDir, candidate.tool_id, candidate.version);
  // The slow part (copy, TypeScript transpile, validator compile, hashing) happens before
  // the lock, in a private temporary folder: concurrent promotes only queue for the commit.
  const prepared = await prepareVersion(sourceDir, target, promoted, current, at, plan.next.user_feedback.map((f) => f.reviewer));
  let result: { entry: ToolRegistryEntry; already: boolean };
  try {
    result = await withRegistryLock(workspace.registryDir, async () => {
      const existing = (await readMetadata(workspace.registryDir)).tools[candidate.tool_id];
      if (existsSync(target)) {
        // The folder's own files decide, not metadata: an older version is still immutable
        // after a newer one was promoted, and a killed promote leaves a folder metadata lacks.
        const frozen = await readCurrentHashes(target).catch(() => null);
        const sameContent = frozen?.code_hash === current.code_hash && frozen.spec_hash === current.spec_hash;
        if (!sameContent && frozen !== null) {
          throw new IllegalTransitionError(
            `${candidate.tool_id}: cannot promote: version ${candidate.version} is already promoted with other content`,
            'promoted versions are immutable: set a new "version" in candidate.json, validate and review again',
          );
        }
        if (sameContent && existing?.version === candidate.version && existing.code_hash === current.code_hash) {
          return { entry: existing, already: true };
        }
        // Same content but not (or no longer) in metadata, or an unreadable half-copy: replace it.
        await rm(target, { recursive: true, force: true });
      }
      await rename(prepared.dir, target);
      await commitTransitionLocked(workspace.registryDir, {
        action: 'promote', tool_id: candidate.tool_id, version: candidate.version, actor, ...current,
      }, at, (m) => {
        m.tools[candidate.tool_id] = prepared.entry;
      });
      return { entry: prepared.entry, already: false };
    });
  } finally {
    await rm(prepared.dir, { recursive: true, force: true });
  }
  await removeCandidate(workspace.stagedDir, sourceDir, candidate.tool_id);
  return {
    tool_id: candidate.tool_id,
    action: 'promote',
    from: plan.from,
    to: 'PROMOTED',
    candidate: promoted,
    version: candidate.version,
    path: path.relative(workspace.root, versionDir(workspace.registryDir, candidate.tool_id, candidate.version)),
    entry: result.entry,
    already_promoted: result.already,
  };
}

/**
 * Copies the package into a temporary folder beside its final place, builds it and hashes
 * every file: the registry entry to commit. The caller renames the folder into place.
 */
async function prepareVersion(
  sourceDir: string,
  target: string,
  promoted: ToolCandidate,
  current: { code_hash: string; spec_hash: string },
  at: Date,
  reviewers: string[],
): Promise<{ dir: string; entry: ToolRegistryEntry }> {
  const parent = path.dirname(target);
  await mkdir(parent, { recursive: true });
  await removeStaleTemps(parent);
  const tmp = path.join(parent, `.tmp-${promoted.version}-${randomBytes(4).toString('hex')}`);
  try {
    await cp(sourceDir, tmp, { recursive: true, filter: (src) => path.relative(sourceDir, src).split(path.sep)[0] !== BUILD_DIR });
    await writeJsonAtomically(path.join(tmp, 'candidate.json'), promoted);
    const errors = await buildPackage(tmp, promoted.spec);
    if (errors.length > 0) throw new NegativeOutcomeError(`${promoted.tool_id}: cannot promote: the build failed: ${errors.join('; ')}`, `fix the candidate, then \`toolsmith validate ${promoted.tool_id}\` and review it again`);
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
      approved_by: [...new Set(reviewers)],
    };
    return { dir: tmp, entry };
  } catch (error) {
    await rm(tmp, { recursive: true, force: true });
    throw error;
  }
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
