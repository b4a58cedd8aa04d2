import { showTool, type ShowResult } from '../../lifecycle/show-tool.js';
import type { SandboxProtections } from '../../models/index.js';
import { createIo, type Paint } from '../io/output.js';
import { EXIT } from '../exit-codes.js';
import { hideInternal } from './hide-internal.js';
import type { Handler } from '../program.js';

const show: Handler = async ([id], flags) => {
  const io = await createIo(flags);
  const result = await showTool({ cwd: io.cwd, workspace: flags.workspace, toolId: String(id) });
  io.result(hideInternal(result, flags.verbose), (p) => formatShow(result, p));
  return EXIT.OK;
};
export default show;

const gate = (p: Paint, ok: boolean) => (ok ? p.green('pass') : p.red('FAIL'));

/** The reviewer's page: spec, hashes, gates, failing tests with diffs, metrics, history. */
export function formatShow(r: ShowResult, p: Paint): string {
  const out: string[] = [];
  const c = r.candidate;
  if (c) {
    const spec = c.spec;
    out.push(p.bold(`${c.tool_id} ${c.version}  [${c.effective_status}]`) + (c.files_changed ? p.yellow('  files changed since validation: validate again') : ''));
    out.push(`  ${spec.description}`, '');
    out.push(p.bold('Spec'));
    out.push(`  when to use:   ${spec.when_to_use}`, `  what it does:  ${spec.what_it_does}`, `  returns:       ${spec.returns}`, `  prerequisites: ${spec.prerequisites}`);
    out.push(`  permissions:   ${spec.permissions.length ? spec.permissions.join(', ') : 'none'}`);
    out.push(`  input_schema:  ${JSON.stringify(spec.input_schema)}`, `  output_schema: ${JSON.stringify(spec.output_schema)}`, '');
    out.push(p.bold('Provenance and hashes'));
    out.push(`  created ${c.created_at} by ${c.created_by}`);
    out.push(`  code_hash on disk ${c.current_hashes.code_hash}`, `  spec_hash on disk ${c.current_hashes.spec_hash}`);
    const report = c.validation_report;
    if (!report) out.push('', p.yellow('Not validated yet: run `toolsmith validate ' + c.tool_id + '`'));
    else {
      out.push(`  validated code_hash ${report.code_hash}${report.code_hash === c.current_hashes.code_hash ? '' : p.red('  (differs)')}`);
      out.push('', p.bold(`Validation (${report.validated_at}, ${report.duration_ms} ms)`));
      out.push(`  schema ${gate(p, report.schema_ok)}  typecheck ${gate(p, report.typecheck_ok)}  tests ${gate(p, report.tests_ok)}  sandbox ${gate(p, report.sandbox_ok)}`);
      if (report.protections) out.push(p.dim(`  sandbox protections: ${formatProtections(report.protections, spec.permissions)}`));
      for (const warning of report.protections?.warnings ?? []) out.push(`  ${p.yellow('warning')} ${warning}`);
      for (const e of report.errors) out.push(`  ${p.red('error')} ${e}`);
      const m = report.code_metrics;
      if (m) {
        const f = m.functional_correctness;
        out.push('', p.bold('Metrics'));
        out.push(`  tests ${f.test_cases_passed}/${f.test_cases_total}  correctness ${f.correctness_score.toFixed(3)}  overall ${m.overall_score.toFixed(3)}  tier ${p.bold(m.quality_tier)}`);
        if (f.reference_solution_similarity !== undefined) out.push(`  reference output agreement ${f.reference_solution_similarity.toFixed(3)}`);
        out.push(`  pass@k ${Object.entries(m.pass_at_k).map(([k, v]) => `@${k}=${v.toFixed(3)}`).join(' ')}`);
        const sc = m.semantic_closeness;
        if (sc) {
          out.push(`  CodeBLEU vs reference.ts ${sc.code_bleu_score.toFixed(3)} (n-gram ${sc.ngram_match_score.toFixed(3)}, weighted ${sc.weighted_ngram_score.toFixed(3)}, syntax ${sc.ast_match_score.toFixed(3)}, dataflow ${sc.dataflow_match_score.toFixed(3)})`);
        }
        for (const t of f.test_results.filter((x) => !x.passed)) {
          out.push(`  ${p.red('✗')} test "${t.name}"${t.error ? `: ${t.error.error.type}: ${t.error.error.message}` : ''}`);
          if (t.diff) out.push(...t.diff.split('\n').map((l) => `      ${l.startsWith('+') ? p.green(l) : l.startsWith('-') ? p.red(l) : l}`));
        }
      }
    }
    if (c.user_feedback.length) {
      out.push('', p.bold('Reviews'));
      for (const f of c.user_feedback) out.push(`  ${f.timestamp} ${f.decision} by ${f.reviewer}${f.notes ? `: ${f.notes}` : ''}`);
      out.push(`  approvals in force: ${c.approvals_in_force.join(', ') || 'none'}`);
    }
  }
  if (r.promoted) {
    const e = r.promoted.entry;
    out.push('', p.bold(`Promoted ${e.version}`) + ` at ${e.promoted_at}, approved by ${e.approved_by.join(', ')}`);
    out.push(`  ${e.path}`, `  code_hash ${e.code_hash}`, `  spec_hash ${e.spec_hash}`, `  build_hash ${e.build_hash}`);
    const m = r.promoted.metrics;
    if (m) out.push(`  runs: ${m.success_count} ok, ${m.error_count} failed; last ${m.last_execution_time_ms.toFixed(1)} ms, mean ${m.avg_execution_time_ms.toFixed(1)} ms; last used ${m.last_used ?? 'never'}; ${m.state}`);
  }
  out.push('', p.bold('Sandbox on this machine') + p.dim(' (what a run of this tool gets now)'));
  out.push(`  ${formatProtections(r.sandbox.protections, permissionsOf(r))}`);
  if (r.sandbox.refused !== null) out.push(`  ${p.red('runs are refused')}: sandbox.isolation is "os" and ${r.sandbox.refused}`);
  for (const warning of r.sandbox.protections.warnings ?? []) out.push(`  ${p.yellow('warning')} ${warning}`);
  if (r.history.length) {
    out.push('', p.bold('History'));
    for (const h of r.history) out.push(`  ${h.ts}  ${h.action.padEnd(8)} ${h.version.padEnd(8)} by ${h.actor}`);
  }
  return out.join('\n');
}

/** The spec's permissions, promoted spec first. */
function permissionsOf(r: ShowResult): readonly string[] {
  const promoted = r.promoted?.spec;
  const asked = typeof promoted === 'object' && promoted !== null ? (promoted as { permissions?: unknown }).permissions : undefined; // `as`: read defensively
  if (Array.isArray(asked)) return asked.filter((x): x is string => typeof x === 'string');
  return r.candidate?.spec.permissions ?? [];
}

/**
 * Every active layer in words. Reports written before the OS layer existed have no `layers`:
 * they are described from their fields, and a tool granted `net` reads "granted by spec".
 */
function formatProtections(pr: SandboxProtections, permissions: readonly string[]): string {
  if (pr.layers !== undefined) return pr.layers.join('; ');
  const network = permissions.includes('net') ? 'network: granted by spec' : pr.network_namespace ? 'network: isolated (own network namespace)' : 'network: NOT isolated on this machine';
  return [pr.permission_model ? 'node permission model' : 'permission model OFF', network, `heap cap ${pr.heap_cap_mb} MB`, `wall clock ${pr.timeout_ms} ms`, `output ${pr.max_output_bytes} bytes`].join('; ');
}