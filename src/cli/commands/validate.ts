import { validateCandidates } from '../../lifecycle/validate.js';
import type { ValidationEvent } from '../../validate/validate-candidate.js';
import { formatJunit } from '../../reporters/junit.js';
import { createIo, type Paint } from '../io/output.js';
import { escapeTerminal } from '../io/escape.js';
import { prepareOutputFile, writeOutput } from '../io/output-file.js';
import { createProgress } from '../io/progress.js';
import { EXIT } from '../../models/exit-codes.js';
import { hideInternal } from './hide-internal.js';
import type { Handler } from '../program.js';
import type { ValidateResult } from '../../lifecycle/validate.js';
import type { SavedPipelineCheck } from '../../pipeline/pipeline-command.js';

const validate: Handler = async (args, flags) => {
  const io = await createIo(flags);
  const ids = (args[0] as string[] | undefined) ?? []; // safe: commander gives a variadic argument as string[] (or nothing)
  // The report's place is checked (and its folder made) before minutes of validation, and
  // before anything is written to the audit log.
  const junit = typeof flags['junit'] === 'string' ? await prepareOutputFile('--junit', flags['junit'], io.cwd) : undefined;
  const progress = await createProgress(flags);
  const onEvent = (e: ValidationEvent) => {
    if (e.type === 'candidate-start') progress.update(`validating ${e.tool_id}`);
    if (e.type === 'gate') progress.update(`validating ${e.tool_id}: ${e.gate} ${e.ok ? 'ok' : 'failed'}`);
  };
  let result: ValidateResult;
  try {
    result = await validateCandidates({ cwd: io.cwd, workspace: flags.workspace, ids, all: flags['all'] === true, onEvent });
  } finally {
    progress.stop();
  }
  if (junit !== undefined) await writeOutput(junit, formatJunit(result));
  // --all also checks every saved pipeline (pipelines/NAME.json) against the promoted tools.
  const pipelines = flags['all'] === true ? await (await import('../../pipeline/pipeline-command.js')).checkSavedPipelines({ cwd: io.cwd, workspace: flags.workspace }) : [];
  const pipelinesOk = pipelines.every((p) => p.verdict === 'compatible' || p.verdict === 'cannot-prove');
  io.result(pipelines.length > 0 ? { ...hideInternal(result, flags.verbose), pipelines } : hideInternal(result, flags.verbose), (p) => [formatValidate(result, p), ...formatPipelines(pipelines, p)].filter((t) => t.length > 0).join('\n'));
  if (!flags.json && !flags.quiet) for (const hint of hintsFor(result)) io.err(`hint: ${hint}`);
  return result.all_valid && pipelinesOk ? EXIT.OK : EXIT.NEGATIVE;
};
export default validate;

/** "STAGED -> DRAFT: files changed, 1 approval voided" (the audit chain's status before and after). */
function formatStatusChange(item: ValidateResult['candidates'][number]): string {
  const notes: string[] = [];
  if (item.files_changed) notes.push('files changed');
  if (item.approvals_voided > 0) notes.push(`${item.approvals_voided} approval${item.approvals_voided === 1 ? '' : 's'} voided`);
  if (!item.files_changed && item.approvals_kept > 0) notes.push(`${item.approvals_kept} approval${item.approvals_kept === 1 ? '' : 's'} of these files kept`);
  return `${item.from} -> ${item.status}${notes.length ? `: ${notes.join(', ')}` : ''}`;
}

function formatValidate(result: ValidateResult, p: Paint): string {
  if (result.candidates.length === 0 && result.broken.length === 0) return 'no candidates to validate in staged/ (create one with `toolsmith generate --spec FILE`)';
  const out: string[] = [];
  for (const item of result.candidates) {
    const { tool_id, report } = item;
    const mark = report.is_valid ? p.green('✓') : p.red('✗');
    const m = report.code_metrics;
    const ok = (b: boolean) => (b ? p.green('ok') : p.red('FAIL'));
    out.push(`${mark} ${p.bold(tool_id)}  schema ${ok(report.schema_ok)}  typecheck ${ok(report.typecheck_ok)}  tests ${ok(report.tests_ok)}  sandbox ${ok(report.sandbox_ok)}  scan ${ok(report.scan_ok)}` +
      (m ? `  ${m.functional_correctness.test_cases_passed}/${m.functional_correctness.test_cases_total} tests, overall ${m.overall_score.toFixed(3)} ${m.quality_tier}` : '') + p.dim(`  (${report.duration_ms} ms)`));
    if (item.from !== item.status || item.approvals_voided > 0 || item.approvals_kept > 0) out.push(`    ${formatStatusChange(item)}`);
    for (const e of report.errors.slice(0, 20)) out.push(`    ${escapeTerminal(e)}`);
    if (report.errors.length > 20) out.push(p.dim(`    … ${report.errors.length - 20} more: toolsmith show ${tool_id}`));
    if (report.is_valid) out.push(p.dim(`    next: toolsmith stage ${tool_id}`));
  }
  for (const b of result.broken) {
    out.push(`${p.red('✗')} ${p.bold(b.tool_id)}  broken: ${escapeTerminal(b.problem)}`);
    if (b.hint) out.push(p.dim(`    ${escapeTerminal(b.hint)}`));
  }
  return out.join('\n');
}

/** One line per saved pipeline: its check's verdict, or why it could not be checked. */
function formatPipelines(pipelines: readonly SavedPipelineCheck[], p: Paint): string[] {
  return pipelines.map((pl) => {
    const name = p.bold(`pipeline ${escapeTerminal(pl.name)}`);
    if (pl.verdict === 'broken') return `${p.red('✗')} ${name}  broken: ${escapeTerminal(pl.problem ?? '')}`;
    const count = pl.check?.links.reduce((n, l) => n + l.findings.length, 0) ?? 0;
    const mark = pl.verdict === 'incompatible' ? p.red('✗') : pl.verdict === 'cannot-prove' ? p.yellow('!') : p.green('✓');
    const detail = count > 0 ? `  ${count} finding(s): toolsmith pipeline check --name ${escapeTerminal(pl.name)}` : '';
    return `${mark} ${name}  ${pl.verdict}${detail}`;
  });
}

/** Hints for failures whose cause is a setting rather than the code: a test that hit the time limit. */
function hintsFor(result: ValidateResult): string[] {
  const timedOut = result.candidates.some(({ report }) => report.errors.some((e) => /\bTimeoutError\b/.test(e)));
  return timedOut ? ['a test ran out of time: the limit per call is sandbox.timeout_ms in toolsmith.config.json (default 10000 ms)'] : [];
}
