import type { ValidationReport } from '../models/index.js';
import { readCandidate, readCurrentHashes, writeCandidate, candidateDir, listCandidateIds, assertToolId } from '../stores/staged-store.js';
import { readCandidateSpec } from '../stores/read-candidate-spec.js';
import { recordTransition } from '../stores/record-transition.js';
import { openWorkspace, type CommandOptions } from '../workspace/open-workspace.js';
import { validateCandidate, type ValidationEvent } from '../validate/validate-candidate.js';
import { UserError } from '../models/errors.js';
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

export interface ValidateResult {
  candidates: ValidateItem[];
  all_valid: boolean;
}

/**
 * `validate`: builds each candidate's report, records it in candidate.json (status back
 * to DRAFT: stage again after any validation) and in the audit log.
 * @throws UserError when no id is named, NotFoundError for an unknown candidate
 */
export async function validateCandidates(options: ValidateOptions): Promise<ValidateResult> {
  const { workspace, config, now, actor } = await openWorkspace(options);
  if (options.all && options.ids.length > 0) throw new UserError('pass candidate ids or --all, not both');
  const ids = options.all ? await listCandidateIds(workspace.stagedDir) : options.ids.map(assertToolId);
  if (ids.length === 0) {
    throw new UserError(options.all ? `no candidates in ${workspace.stagedDir}` : 'name the candidates to validate', 'e.g. `toolsmith validate csv_group_count` or `toolsmith validate --all`');
  }
  // Read every record first: an unknown id fails before any candidate is touched.
  const candidates = await Promise.all(ids.map((id) => readCandidate(workspace.stagedDir, id)));
  const items: ValidateItem[] = [];
  for (const candidate of candidates) {
    const dir = candidateDir(workspace.stagedDir, candidate.tool_id);
    const current = await readCurrentHashes(dir);
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
  return { candidates: items, all_valid: items.every((i) => i.report.is_valid) };
}
