import type { ValidationReport } from '../models/index.js';
import { readCandidate, readCurrentHashes, writeCandidate, candidateDir, listCandidateIds, assertToolId } from '../stores/staged-store.js';
import { readCandidateSpec } from '../stores/read-candidate-spec.js';
import { recordTransition } from '../stores/record-transition.js';
import { openWorkspace, type CommandOptions } from '../workspace/open-workspace.js';
import { validateCandidate, type ValidationEvent } from '../validate/validate-candidate.js';
import { NotFoundError, UserError } from '../models/errors.js';
import { planTransition } from './plan-transition.js';

export interface ValidateOptions extends CommandOptions {
  ids: string[];
  all?: boolean;
  onEvent?: (event: ValidationEvent) => void;
}

export interface ValidateItem {
  tool_id: string;
  version: string;
  status: string;
  report: ValidationReport;
}

/** A candidate whose files cannot be read as a candidate (corrupt JSON, a FIFO, ...): invalid, nothing recorded. */
export interface BrokenCandidate {
  tool_id: string;
  problem: string;
  hint?: string;
}

export interface ValidateResult {
  candidates: ValidateItem[];
  /** Candidates that could not be validated at all; they make the run invalid (exit 1). */
  broken: BrokenCandidate[];
  all_valid: boolean;
}

/**
 * `validate`: builds each candidate's report, records it in candidate.json (status back
 * to DRAFT: stage again after any validation) and in the audit log.
 * @throws UserError when no id is named, NotFoundError for an unknown candidate
 */
export async function validateCandidates(options: ValidateOptions): Promise<ValidateResult> {
  const { workspace, config, now, actor } = await openWorkspace(options);
  if (options.all && options.ids.length > 0) throw new UserError('pass candidate ids or --all, not both', 'e.g. `toolsmith validate csv_group_count` or `toolsmith validate --all`');
  const ids = options.all ? await listCandidateIds(workspace.stagedDir) : options.ids.map(assertToolId);
  // --all over an empty staged/ is a successful run with nothing to do (as a linter with no files to check).
  if (ids.length === 0 && options.all) return { candidates: [], broken: [], all_valid: true };
  if (ids.length === 0) throw new UserError('name the candidates to validate', 'e.g. `toolsmith validate csv_group_count` or `toolsmith validate --all`');
  // Read every record first: an unknown id fails before any candidate is touched; one that
  // cannot be read is reported as broken and the others are validated.
  const broken: BrokenCandidate[] = [];
  const candidates = (await Promise.all(ids.map((id) => readOrBroken(broken, id, () => readCandidate(workspace.stagedDir, id))))).filter((c) => c !== null);
  const items: ValidateItem[] = [];
  for (const candidate of candidates) {
    const dir = candidateDir(workspace.stagedDir, candidate.tool_id);
    const current = await readOrBroken(broken, candidate.tool_id, () => readCurrentHashes(dir));
    if (current === null) continue;
    const plan = planTransition(candidate, 'validate', { current, policy: config.policy, now: now() });
    const report = await validateCandidate({
      toolId: candidate.tool_id,
      packageDir: dir,
      limits: config.sandbox,
      cwd: options.cwd,
      now,
      current,
      ...(options.onEvent ? { onEvent: options.onEvent } : {}),
    });
    // spec.json is the source of truth; the record's copy follows it whenever it parses.
    const spec = await readCandidateSpec(workspace.stagedDir, candidate.tool_id).then((s) => s.spec, () => plan.next.spec);
    const next = { ...plan.next, spec, validation_report: report, code_hash: current.code_hash, spec_hash: current.spec_hash };
    await recordTransition(workspace.registryDir, { action: 'validate', tool_id: candidate.tool_id, version: candidate.version, actor, ...current }, now());
    await writeCandidate(workspace.stagedDir, next);
    items.push({ tool_id: candidate.tool_id, version: candidate.version, status: next.status, report });
  }
  broken.sort((a, b) => (a.tool_id < b.tool_id ? -1 : 1));
  return { candidates: items, broken, all_valid: broken.length === 0 && items.every((i) => i.report.is_valid) };
}

/** Runs a read of one candidate; a UserError other than "no such candidate" makes it broken (null). */
async function readOrBroken<T>(broken: BrokenCandidate[], toolId: string, read: () => Promise<T>): Promise<T | null> {
  try {
    return await read();
  } catch (error) {
    if (!(error instanceof UserError) || error instanceof NotFoundError) throw error;
    broken.push({ tool_id: toolId, problem: error.message, ...(error.hint ? { hint: error.hint } : {}) });
    return null;
  }
}
