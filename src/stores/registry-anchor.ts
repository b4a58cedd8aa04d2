// Zod-free: `run` calls assertEntryAnchored before every execution.
import { isDeepStrictEqual } from 'node:util';
import type { AuditRecordOf, ToolRegistryEntry } from '../models/index.js';
import { IntegrityError, NotFoundError } from '../models/errors.js';
import { auditFile, parseAuditChain, type AuditChain, type AuditEntry } from './audit-log.js';
import { createFileMemo } from './file-snapshot.js';

/**
 * The chain of a registry's audit log, as it is on disk now. A long-lived process (serve, a
 * batch) asks before every call: the file is read and parsed again only when its state
 * changed (file-snapshot.ts: a change, in place or by replacement, always changes it), is too
 * recent to be trusted, or was read over a second ago, and bytes equal to the last read reuse
 * the last parse (the chain is a function of the text alone). Callers here only read the chain.
 */
const readChainOf = createFileMemo((bytes) => parseAuditChain(bytes.toString('utf8')), () => parseAuditChain(''));

function readChain(registryDir: string): AuditChain {
  return readChainOf(auditFile(registryDir));
}

/** The latest promote line of a tool (of one version, when given) in a chain. */
export function findLatestPromote(chain: Pick<AuditChain, 'entries'>, toolId: string, version?: string): (AuditEntry & { record: AuditRecordOf<'promote'> }) | null {
  for (let i = chain.entries.length - 1; i >= 0; i--) {
    const e = chain.entries[i];
    if (e && e.record.action === 'promote' && e.record.tool_id === toolId && (version === undefined || e.record.version === version)) {
      return e as AuditEntry & { record: AuditRecordOf<'promote'> }; // safe: the action was just checked
    }
  }
  return null;
}

/** What in a metadata.json entry differs from the promote line that should anchor it (empty: anchored). Pure. */
export function anchorProblems(entry: Pick<ToolRegistryEntry, 'version' | 'code_hash' | 'spec_hash' | 'build_hash' | 'files'>, line: AuditRecordOf<'promote'>): string[] {
  const problems: string[] = [];
  if (entry.version !== line.version) problems.push(`version ${entry.version} is not the last promoted version ${line.version}`);
  for (const field of ['code_hash', 'spec_hash', 'build_hash'] as const) if (entry[field] !== line[field]) problems.push(`${field} differs`);
  if (!isDeepStrictEqual(entry.files, line.files)) {
    const names = [...new Set([...Object.keys(entry.files), ...Object.keys(line.files)])].filter((f) => entry.files[f] !== line.files[f]);
    problems.push(`the hashes of ${names.slice(0, 5).join(', ')}${names.length > 5 ? ', …' : ''} differ`);
  }
  return problems;
}

/**
 * Refuses a registry entry that its promote line does not anchor: the chain must be intact,
 * and the tool's latest promote line must record exactly the version, code/spec/build
 * hashes and per-file hashes metadata.json gives. metadata.json alone (rewritten after a
 * build/ change) can therefore not make `run` execute other bytes.
 * @throws IntegrityError
 */
export async function assertEntryAnchored(registryDir: string, toolId: string, entry: ToolRegistryEntry): Promise<void> {
  const chain = readChain(registryDir);
  const hint = 'run `toolsmith verify`; restore registry/ from version control, or promote the tool again';
  const broken = chain.problems[0];
  if (broken) throw new IntegrityError(`${toolId}: the audit log is broken at registry/audit.jsonl:${broken.line} (${broken.message}), so its registry entry cannot be trusted`, hint);
  const promote = findLatestPromote(chain, toolId);
  if (!promote) throw new IntegrityError(`${toolId} ${entry.version}: no promote line in registry/audit.jsonl anchors its metadata.json entry`, hint);
  const problems = anchorProblems(entry, promote.record);
  if (problems.length > 0) {
    throw new IntegrityError(`${toolId} ${entry.version}: metadata.json is not anchored in its promote line (registry/audit.jsonl:${promote.line}): ${problems.join('; ')}`, hint);
  }
}

/** The hashes a version's files must have, as its promote line records them. */
export type AnchoredVersion = Pick<ToolRegistryEntry, 'version' | 'code_hash' | 'spec_hash' | 'build_hash' | 'files'>;

/**
 * The promote line of one version of a tool, from an intact chain: for `run tool@version`
 * of a version metadata.json no longer names, the audit log is the only record of its hashes.
 * @throws IntegrityError when the chain is broken; NotFoundError when no such version was promoted
 */
export async function readAnchoredVersion(registryDir: string, toolId: string, version: string): Promise<AnchoredVersion> {
  const chain = readChain(registryDir);
  const broken = chain.problems[0];
  if (broken) {
    throw new IntegrityError(`${toolId}@${version}: the audit log is broken at registry/audit.jsonl:${broken.line} (${broken.message}), so no version of it can be trusted`, 'run `toolsmith verify`; restore registry/ from version control');
  }
  const promote = findLatestPromote(chain, toolId, version);
  if (!promote) {
    const versions = [...new Set(chain.entries.filter((e) => e.record.action === 'promote' && e.record.tool_id === toolId).map((e) => e.record.version))];
    const hint = versions.length > 0 ? `promoted versions: ${versions.join(', ')}` : 'list promoted tools with `toolsmith list`';
    throw new NotFoundError(`no version ${version} of "${toolId}" was ever promoted`, hint);
  }
  const { code_hash, spec_hash, build_hash, files } = promote.record;
  return { version, code_hash, spec_hash, build_hash, files };
}
