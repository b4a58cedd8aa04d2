import { cp, mkdir, rm, readdir, stat, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import type { ToolCandidate, ToolRegistryEntry } from '../models/index.js';
import { IllegalTransitionError, NegativeOutcomeError } from '../models/errors.js';
import { buildPackage } from '../bundle/build-package.js';
import { readCurrentHashes } from '../stores/staged-store.js';
import { createFileManifest, PROMOTION_RECORD } from '../stores/file-manifest.js';
import { BUILD_DIR } from '../models/package-layout.js';
import { hashBuild, sha256 } from '../stores/hash.js';
import { formatJson, writeJsonAtomically } from '../stores/atomic-write.js';
import type { AllowedSigner } from '../stores/allowed-signers.js';
import type { ReviewFact } from './candidate-state.js';

/** A frozen copy ready to be renamed into registry/tools/<id>/<version>/, and its registry entry. */
export interface PreparedVersion {
  dir: string;
  entry: ToolRegistryEntry;
  /** SHA-256 of the signed promotion record written into `dir`, or null without a key. */
  promotionSha256: string | null;
}

/**
 * Copies the package into a temporary folder beside its final place, builds it, hashes
 * every file and (with a key) writes the signed promotion record: the registry entry to
 * commit. The caller renames the folder into place.
 */
export async function prepareVersion(
  sourceDir: string,
  target: string,
  promoted: ToolCandidate,
  current: { code_hash: string; spec_hash: string },
  at: Date,
  actor: string,
  counted: readonly ReviewFact[],
  key: { file: string; shownAs: string } | null,
  signers: readonly AllowedSigner[] | null,
): Promise<PreparedVersion> {
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
  signers: readonly AllowedSigner[] | null,
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
