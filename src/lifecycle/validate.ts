import type { AuditVerdict, ToolStatus, ValidationReport } from '../models/index.js';
import { listCandidateIds, assertToolId } from '../stores/staged-store.js';
import { hashJson } from '../stores/hash.js';
import { openWorkspace, type CommandOptions } from '../workspace/open-workspace.js';
import type { ValidationEvent } from '../validate/validate-candidate.js';
import type { PriorRuns } from '../validate/prior-runs.js';
import { IllegalTransitionError, IntegrityError, NotFoundError, UserError } from '../models/errors.js';
import { assertTransitionAllowed, planTransition } from './plan-transition.js';
import { openCandidate } from './open-candidate.js';
import { commitCandidateLine, writeCandidateCache } from './commit-line.js';
import { matchesValidation } from './candidate-state.js';
import { resolveActor } from './resolve-actor.js';

export interface ValidateOptions extends CommandOptions {
  ids: string[];
  all?: boolean;
  onEvent?: (event: ValidationEvent) => void;
  /** In-process only: runs of these very sources made earlier (generate's samples). */
  priorRuns?: PriorRuns | undefined;
}

export interface ValidateItem {
  tool_id: string;
  version: string;
  /** The status the audit chain gave before this validation. */
  from: ToolStatus;
  status: ToolStatus;
  /** The files differ from the ones validated before (so approvals of the old files are void). */
  files_changed: boolean;
  approvals_voided: number;
  approvals_kept: number;
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

/** The verdict of a report as its audit line keeps it (what stage and promote decide on). */
export function createVerdict(report: ValidationReport): AuditVerdict {
  return {
    is_valid: report.is_valid,
    quality_tier: report.code_metrics?.quality_tier ?? null,
    schema_ok: report.schema_ok,
    typecheck_ok: report.typecheck_ok,
    tests_ok: report.tests_ok,
    sandbox_ok: report.sandbox_ok,
    scan_ok: report.scan_ok,
    report_sha256: hashJson(report),
  };
}

/**
 * `validate`: builds each candidate's report, records its verdict in the audit log (the
 * decision) and the report in candidate.json (the cache). Re-validating identical files
 * keeps the candidate's status and approvals when the verdict still passes; changed files
 * make it DRAFT and void the approvals of the old files (SPEC 1).
 * @throws UserError when no id is named, NotFoundError for an unknown candidate, IntegrityError
 */
export async function validateCandidates(options: ValidateOptions): Promise<ValidateResult> {
  const open = await openWorkspace(options);
  const { workspace, config } = open;
  if (options.all && options.ids.length > 0) throw new UserError('pass candidate ids or --all, not both', 'e.g. `toolsmith validate csv_group_count` or `toolsmith validate --all`');
  const ids = options.all ? await listCandidateIds(workspace.stagedDir) : options.ids.map(assertToolId);
  // --all over an empty staged/ is a successful run with nothing to do (as a linter with no files to check).
  if (ids.length === 0 && options.all) return { candidates: [], broken: [], all_valid: true };
  if (ids.length === 0) throw new UserError('name the candidates to validate', 'e.g. `toolsmith validate csv_group_count` or `toolsmith validate --all`');
  const actor = resolveActor(options, open);
  // Open every candidate first: an unknown id or a forged record fails before any is touched;
  // one whose files cannot be read (corrupt JSON, a FIFO) is reported as broken and the others are validated.
  const broken: BrokenCandidate[] = [];
  const contexts = [];
  for (const id of ids) {
    const ctx = await readOrBroken(broken, id, () => openCandidate(open, id, { strict: true, checkSignatures: true, cwd: options.cwd }));
    if (ctx !== null) contexts.push(ctx);
  }
  const items: ValidateItem[] = [];
  for (const ctx of contexts) {
    const before = ctx.history.state;
    const base = { current: ctx.current, policy: config.policy, now: open.now(), actor };
    // Refuse (a PROMOTED candidate) before spending time on validation.
    assertTransitionAllowed(before, 'validate', base);
    // The files are read once, and the report names their hashes (equal to ctx.current, else refused).
    // Loaded only when there is a candidate to validate: the gates bring the TypeScript compiler
    // (about a second of start-up), which a refused or empty `validate` never needs.
    const { validateCandidateFiles } = await import('../validate/validate-candidate.js');
    const { report, spec } = await validateCandidateFiles({
      toolId: ctx.id,
      packageDir: ctx.dir,
      limits: config.sandbox,
      cwd: options.cwd,
      now: open.now,
      current: ctx.current,
      ...(options.onEvent ? { onEvent: options.onEvent } : {}),
      priorRuns: options.priorRuns,
    });
    const verdict = createVerdict(report);
    const at = open.now();
    const { after } = await commitCandidateLine(open, ctx, (state) => planTransition(state, 'validate', { ...base, now: at, verdict }).entry);
    // spec.json is the source of truth; the record's copy follows it whenever it parses.
    await writeCandidateCache(workspace.stagedDir, ctx.record, after, report, spec ?? undefined);
    const changed = before.validation !== null && !matchesValidation(before, ctx.current);
    items.push({
      tool_id: ctx.id,
      version: after.state.version ?? ctx.record.version,
      from: before.status,
      status: after.state.status,
      files_changed: changed,
      approvals_voided: after.state.voided,
      approvals_kept: after.state.approvals.length,
      report,
    });
  }
  broken.sort((a, b) => (a.tool_id < b.tool_id ? -1 : 1));
  return { candidates: items, broken, all_valid: broken.length === 0 && items.every((i) => i.report.is_valid) };
}

/**
 * Runs a read of one candidate; a plain UserError (its files cannot be read) makes it broken
 * (null). An unknown id, an integrity problem or a refused transition still stops the run.
 */
async function readOrBroken<T>(broken: BrokenCandidate[], toolId: string, read: () => Promise<T>): Promise<T | null> {
  try {
    return await read();
  } catch (error) {
    if (!(error instanceof UserError) || error instanceof NotFoundError || error instanceof IntegrityError || error instanceof IllegalTransitionError) throw error;
    broken.push({ tool_id: toolId, problem: error.message, ...(error.hint ? { hint: error.hint } : {}) });
    return null;
  }
}

