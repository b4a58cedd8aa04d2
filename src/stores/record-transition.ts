import type { RegistryMetadata } from '../models/index.js';
import { auditFile, createAuditLine, hashAuditLine, parseAuditChain, readAuditText, type AuditChain, type AuditEntryInput } from './audit-log.js';
import { writeFileAtomically } from './atomic-write.js';
import { withRegistryLock } from './lock.js';
import { readMetadata, writeMetadata } from './registry-store.js';

/** The line a transition committed: its text and SHA-256 (what the next line's `prev` holds). */
export interface CommittedLine {
  line: string;
  hash: string;
}

/**
 * Builds the entry from the chain as it is under the lock, so the guard is checked against
 * exactly the history the new line will follow (two concurrent approvals, or an approve
 * racing a validate, cannot both pass a check made on a stale read). Throws to refuse.
 */
export type EntryBuilder = (chain: AuditChain) => AuditEntryInput | Promise<AuditEntryInput>;

/**
 * Commits one lifecycle transition to the registry, under the lock: first the audit line
 * (atomic rewrite of audit.jsonl), then metadata.json with the new audit head and any
 * change `updateMetadata` makes. The audit line is the decision (the chain is the source of
 * truth for every transition); metadata.json and candidate.json, written after it, are
 * caches. A crash between the writes leaves caches one line behind, which every reader
 * tolerates because it follows the chain, and which `verify` reports as an interrupted
 * transition rather than tampering.
 */
export async function recordTransition(
  registryDir: string,
  entry: AuditEntryInput | EntryBuilder,
  updateMetadata?: (metadata: RegistryMetadata) => void,
): Promise<CommittedLine> {
  return withRegistryLock(registryDir, () => commitTransitionLocked(registryDir, entry, updateMetadata));
}

/** recordTransition for a caller that already holds the registry lock. */
export async function commitTransitionLocked(
  registryDir: string,
  entryOrBuild: AuditEntryInput | EntryBuilder,
  updateMetadata?: (metadata: RegistryMetadata) => void,
): Promise<CommittedLine> {
  const text = await readAuditText(registryDir);
  const lines = text.split('\n').filter((l) => l.length > 0);
  const entry = typeof entryOrBuild === 'function' ? await entryOrBuild(parseAuditChain(text)) : entryOrBuild;
  const line = createAuditLine(lines.at(-1), entry);
  await writeFileAtomically(auditFile(registryDir), [...lines, line].map((l) => `${l}\n`).join(''));
  const metadata = await readMetadata(registryDir);
  updateMetadata?.(metadata);
  metadata.audit_head = hashAuditLine(line);
  metadata.last_updated = entry.ts;
  await writeMetadata(registryDir, metadata);
  return { line, hash: hashAuditLine(line) };
}
