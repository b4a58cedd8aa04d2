import type { RegistryMetadata } from '../models/index.js';
import { auditFile, createAuditLine, hashAuditLine, readAuditLines, type AuditEntryInput } from './audit-log.js';
import { writeFileAtomically } from './atomic-write.js';
import { withRegistryLock } from './lock.js';
import { readMetadata, writeMetadata } from './registry-store.js';

/**
 * Commits one lifecycle transition to the registry, under the lock: first the audit line
 * (atomic rewrite of audit.jsonl), then metadata.json with the new audit head and any
 * change `updateMetadata` makes. A crash between the two leaves metadata one line behind,
 * which `verify` reports as an interrupted transition rather than tampering.
 */
export async function recordTransition(
  registryDir: string,
  entry: AuditEntryInput,
  now: Date,
  updateMetadata?: (metadata: RegistryMetadata) => void,
): Promise<void> {
  await withRegistryLock(registryDir, () => commitTransitionLocked(registryDir, entry, now, updateMetadata));
}

/** recordTransition for a caller that already holds the registry lock. */
export async function commitTransitionLocked(
  registryDir: string,
  entry: AuditEntryInput,
  now: Date,
  updateMetadata?: (metadata: RegistryMetadata) => void,
): Promise<void> {
  const lines = await readAuditLines(registryDir);
  const line = createAuditLine(lines.at(-1), entry, now);
  await writeFileAtomically(auditFile(registryDir), [...lines, line].map((l) => `${l}\n`).join(''));
  const metadata = await readMetadata(registryDir);
  updateMetadata?.(metadata);
  metadata.audit_head = hashAuditLine(line);
  metadata.last_updated = now.toISOString();
  await writeMetadata(registryDir, metadata);
}
