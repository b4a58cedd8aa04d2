import path from 'node:path';
import type { ToolCandidate } from '../models/index.js';
import { IntegrityError } from '../models/errors.js';
import { readCandidate, readCurrentState, candidateDir, assertToolId } from '../stores/staged-store.js';
import { readAuditChain, auditFile, type AuditChain } from '../stores/audit-log.js';
import type { AllowedSigner } from '../stores/allowed-signers.js';
import type { OpenWorkspace } from '../workspace/open-workspace.js';
import { foldCandidate, type CandidateHistory, type SignatureStatus } from './candidate-state.js';
import { checkCandidateCache, type CacheVerdict } from './check-cache.js';
import type { Hashes } from './plan-transition.js';

/** Everything a verb needs to know about one staged candidate, with the chain as the truth. */
export interface CandidateContext {
  id: string;
  dir: string;
  /** candidate.json: a cache for display. */
  record: ToolCandidate;
  current: Hashes;
  chain: AuditChain;
  history: CandidateHistory;
  cache: CacheVerdict;
  signers: AllowedSigner[] | null;
  signatures: Map<string, SignatureStatus>;
  /** Integrity findings that a reader (show, list) reports instead of refusing. */
  warnings: string[];
}

export interface OpenCandidateOptions {
  /** Decision commands refuse (IntegrityError) where a reader only warns. */
  strict: boolean;
  /** Check the signatures of the current epoch's review lines (spawns ssh-keygen; not for `list`). */
  checkSignatures: boolean;
  cwd: string;
}

/** The spec's `tool_name`, if it has one (validate reports every other spec problem). */
function specToolName(spec: unknown): unknown {
  return typeof spec === 'object' && spec !== null && 'tool_name' in spec ? spec.tool_name : undefined;
}

/**
 * Reads a staged candidate and folds its audit lines. The folder name, candidate.json's
 * tool_id and spec.json's tool_name must agree (else a candidate could act on another
 * tool's history or registry entry), the chain must be intact, and candidate.json must be
 * a state the chain gave it (else it was edited: IntegrityError naming the field).
 * @throws IntegrityError (strict), NotFoundError, UserError
 */
export async function openCandidate(open: OpenWorkspace, toolId: string, options: OpenCandidateOptions): Promise<CandidateContext> {
  const { workspace, config } = open;
  const id = assertToolId(toolId);
  const dir = candidateDir(workspace.stagedDir, id);
  const rel = (p: string) => path.relative(options.cwd, p) || '.';
  const record = await readCandidate(workspace.stagedDir, id);
  const warnings: string[] = [];
  const integrity = (message: string, hint: string) => {
    if (options.strict) throw new IntegrityError(message, hint);
    warnings.push(message);
  };
  const recordFile = rel(path.join(dir, 'candidate.json'));
  if (record.tool_id !== id) {
    integrity(`${recordFile}: tool_id "${record.tool_id}" does not match its folder ${rel(dir)}`, 'a candidate is named by its folder; restore candidate.json (tool_id must be the folder name)');
  }
  // One read of spec.json, after the package listing refused links and special files (a FIFO would block).
  const { hashes: current, spec } = await readCurrentState(dir);
  const specName = specToolName(spec);
  if (typeof specName === 'string' && specName !== id) {
    integrity(`${rel(path.join(dir, 'spec.json'))}: tool_name "${specName}" does not match its folder ${rel(dir)}`, `generate a candidate named ${specName} instead (\`toolsmith generate --spec FILE\`), or put back tool_name "${id}"`);
  }
  const chain = await readAuditChain(workspace.registryDir);
  const auditRel = rel(auditFile(workspace.registryDir));
  for (const p of chain.problems) integrity(`${auditRel}:${p.line}: ${p.message}`, 'run `toolsmith verify`; restore registry/audit.jsonl from version control');

  let signers: AllowedSigner[] | null = null;
  let signatures = new Map<string, SignatureStatus>();
  let history = foldCandidate(chain.entries, id, { policy: config.policy });
  if (options.checkSignatures) {
    const { loadAllowedSigners, checkReviewSignatures } = await import('./review-signatures.js');
    signers = await loadAllowedSigners(workspace.root, config.policy.allowed_signers, options.cwd);
    const epoch = history.state.epoch_line ?? Number.MAX_SAFE_INTEGER;
    signatures = await checkReviewSignatures(chain.entries, signers, (e) => e.record.tool_id === id && e.line >= epoch);
    history = foldCandidate(chain.entries, id, { policy: config.policy, signatures });
  }
  for (const p of history.problems) integrity(`${auditRel}:${p.line}: ${p.message}`, 'run `toolsmith verify`');
  const cache = checkCandidateCache(record, history, recordFile);
  if (cache.kind === 'forged') {
    integrity(cache.message, `candidate.json is only a cache of ${auditRel}, which decides: restore the file (e.g. \`git checkout -- ${recordFile}\`); \`toolsmith show ${id}\` shows what the log says`);
  } else if (cache.kind === 'stale') {
    warnings.push(`${recordFile} is behind ${auditRel} (a command was interrupted after line ${cache.line}); the audit log is used`);
  }
  return { id, dir, record, current, chain, history, cache, signers, signatures, warnings };
}
