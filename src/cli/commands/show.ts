import { showTool, type ShowResult, type ShownCandidate } from '../../lifecycle/show-tool.js';
import type { SandboxProtections, ValidationReport } from '../../models/index.js';
import { createIo, type Paint } from '../io/output.js';
import { createEscaper, type Escaper } from '../io/escape.js';
import { EXIT } from '../../models/exit-codes.js';
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
/** JSON of a value on one line, cut for the page (the whole value is in `show --json`). */
const compact = (value: unknown, max = 400) => {
  const text = JSON.stringify(value) ?? 'undefined';
  return text.length > max ? `${text.slice(0, max)}… (${text.length} characters)` : text;
};
const SIGNATURE_LABEL: Record<string, string> = {
  unsigned: 'unsigned',
  verified: 'signed, verified against allowed_signers',
  signed: 'signed (not checked: no policy.allowed_signers)',
  unlisted: 'signed by a key NOT listed for the reviewer',
  bad: 'signature INVALID (line edited after signing)',
  unchecked: 'signed, not checked',
};

/**
 * The reviewer's page (issue 8, item 6): enough to decide. Every string that came from a
 * spec, a candidate, a tool, a name or a note goes through the escaper; bidirectional
 * controls are flagged at the top.
 */
export function formatShow(r: ShowResult, p: Paint): string {
  const esc = createEscaper();
  const body: string[] = [];
  if (r.candidate) body.push(...formatCandidate(r.candidate, p, esc));
  if (r.promoted) {
    const e = r.promoted.entry;
    body.push('', p.bold(`Promoted ${esc.line(e.version)}`) + ` at ${esc.line(e.promoted_at)}, approved by ${esc.line(e.approved_by.join(', '), 'promoted approvals')}`);
    body.push(`  ${esc.line(e.path)}`, `  code_hash ${esc.line(e.code_hash)}`, `  spec_hash ${esc.line(e.spec_hash)}`, `  build_hash ${esc.line(e.build_hash)}`);
    const m = r.promoted.metrics;
    if (m) body.push(`  runs: ${m.success_count} ok, ${m.error_count} failed; last ${m.last_execution_time_ms.toFixed(1)} ms, mean ${m.avg_execution_time_ms.toFixed(1)} ms; last used ${esc.line(m.last_used ?? 'never')}; ${m.state}`);
  }
  body.push('', p.bold('Sandbox on this machine') + p.dim(' (what a run of this tool gets now)'));
  body.push(`  ${formatProtections(r.sandbox.protections, r.sandbox.permissions)}`);
  if (r.sandbox.refused !== null) body.push(`  ${p.red('runs are refused')}: sandbox.isolation is "os" and ${esc.line(r.sandbox.refused)}`);
  for (const warning of r.sandbox.protections.warnings ?? []) body.push(`  ${p.yellow('warning')} ${warning}`);
  if (r.history.length) {
    body.push('', p.bold('History (audit log)'));
    for (const h of r.history) {
      const who = 'reviewer' in h ? `${esc.line(h.reviewer, 'history')} (run by ${esc.line(h.actor, 'history')})` : esc.line(h.actor, 'history');
      body.push(`  ${esc.line(h.ts)}  ${h.action.padEnd(8)} ${esc.line(h.version).padEnd(8)} by ${who}`);
    }
  }
  const head: string[] = [];
  for (const w of r.warnings) head.push(p.red(`! integrity: ${esc.line(w)}`));
  if (esc.bidi.length) head.push(p.red(`! bidirectional control characters (Trojan Source) in: ${esc.bidi.join(', ')}; shown escaped as \\u{...}: read those places with care`));
  if (esc.invisible.length) head.push(p.red(`! invisible characters (zero-width, tag or filler characters) in: ${esc.invisible.join(', ')}; shown escaped as \\u{...}: read those places with care`));
  return [...head, ...body].join('\n');
}

function formatCandidate(c: ShownCandidate, p: Paint, esc: Escaper): string[] {
  const out: string[] = [];
  const spec = (typeof c.spec === 'object' && c.spec !== null ? c.spec : {}) as Record<string, unknown>; // safe: a non-null object, read only through its keys
  out.push(p.bold(`${esc.line(c.tool_id)} ${esc.line(c.version)}  [${c.effective_status}]`) + (c.files_changed ? p.yellow('  files changed since validation: validate again') : ''));
  out.push(`  ${esc.line(spec['description'], 'spec.description')}`, '');
  out.push(p.bold('Spec'));
  for (const [label, key] of [['when to use:  ', 'when_to_use'], ['what it does: ', 'what_it_does'], ['returns:      ', 'returns'], ['prerequisites:', 'prerequisites']] as const) {
    out.push(`  ${label} ${esc.line(spec[key], `spec.${key}`)}`);
  }
  out.push(`  permissions:   ${formatPermissions(c, p, esc)}`);
  out.push(`  input_schema:  ${esc.line(compact(spec['input_schema'], 2000), 'spec.input_schema')}`, `  output_schema: ${esc.line(compact(spec['output_schema'], 2000), 'spec.output_schema')}`, '');
  out.push(p.bold('Provenance and hashes'));
  out.push(`  created ${esc.line(c.created_at)} by ${esc.line(c.created_by, 'created_by')}; author (who ran generate): ${esc.line(c.author ?? 'unknown', 'author')}`);
  out.push(`  code_hash on disk ${c.current_hashes.code_hash}`, `  spec_hash on disk ${c.current_hashes.spec_hash}`);
  if (c.validated_hashes) out.push(`  validated code_hash ${c.validated_hashes.code_hash}${c.validated_hashes.code_hash === c.current_hashes.code_hash ? '' : p.red('  (differs)')}`);
  if (!c.verdict) out.push('', p.yellow(`Not validated yet: run \`toolsmith validate ${esc.line(c.tool_id)}\``));
  else {
    const v = c.verdict;
    out.push('', p.bold('Validation') + (c.validation_report ? ` (${esc.line(c.validation_report.validated_at)}, ${c.validation_report.duration_ms} ms)` : ''));
    out.push(`  schema ${gate(p, v.schema_ok)}  typecheck ${gate(p, v.typecheck_ok)}  tests ${gate(p, v.tests_ok)}  sandbox ${gate(p, v.sandbox_ok)}  scan ${gate(p, v.scan_ok)}  tier ${p.bold(v.quality_tier ?? 'none')}`);
    if (c.validation_report) out.push(...formatReport(c.validation_report, p, esc, c.permissions.requested));
  }
  out.push(...formatTests(c, p, esc));
  out.push(...formatGeneration(c, p, esc));
  out.push(...formatCode(c, p, esc));
  out.push(...formatReviews(c, p, esc));
  return out;
}

/** `net, fs:write (+net +fs:write against promoted 1.0.0)`: the escalation a reviewer must see. */
function formatPermissions(c: ShownCandidate, p: Paint, esc: Escaper): string {
  const now = c.permissions.requested.length ? esc.line(c.permissions.requested.join(', '), 'spec.permissions') : 'none';
  if (c.permissions.promoted === null) return `${now}${c.permissions.requested.length ? p.yellow(' (a new tool: every permission is new)') : ''}`;
  const change = [...c.permissions.added.map((x) => p.red(`+${esc.line(x)}`)), ...c.permissions.removed.map((x) => p.green(`-${esc.line(x)}`))];
  return `${now} (${change.length ? change.join(' ') : 'unchanged'} against the promoted version)`;
}

function formatReport(report: ValidationReport, p: Paint, esc: Escaper, permissions: readonly string[] = []): string[] {
  const out: string[] = [];
  if (report.protections) out.push(p.dim(`  sandbox protections: ${esc.line(formatProtections(report.protections, permissions), 'report protections')}`));
  for (const warning of report.protections?.warnings ?? []) out.push(`  ${p.yellow('warning')} ${esc.line(warning, 'report protections')}`);
  for (const e of report.errors) out.push(`  ${p.red('error')} ${esc.line(e, 'report errors')}`);
  out.push('', p.bold(`Scanner findings (${report.findings.length})`));
  if (report.findings.length === 0) out.push(p.dim('  none: the built-in tool rules found nothing'));
  for (const f of report.findings) {
    const sev = f.severity === 'error' ? p.red('error') : p.yellow('warning');
    out.push(`  ${esc.line(f.file, 'findings')}:${f.line}:${f.column}  ${sev}  ${esc.line(f.rule)}  ${esc.line(f.message, 'findings')}`);
    if (f.excerpt) out.push(p.dim(`      ${esc.line(f.excerpt, `${f.file}:${f.line}`)}`));
  }
  const m = report.code_metrics;
  if (m) {
    const f = m.functional_correctness;
    out.push('', p.bold('Metrics'));
    out.push(`  tests ${f.test_cases_passed}/${f.test_cases_total}  correctness ${f.correctness_score.toFixed(3)}  overall ${m.overall_score.toFixed(3)}  tier ${p.bold(m.quality_tier)}`);
    if (f.reference_solution_similarity !== undefined) out.push(`  reference output agreement ${f.reference_solution_similarity.toFixed(3)}`);
    out.push(`  pass@k ${Object.entries(m.pass_at_k).map(([k, v]) => `@${esc.line(k)}=${v.toFixed(3)}`).join(' ')}`);
    const sc = m.semantic_closeness;
    if (sc) out.push(`  CodeBLEU vs reference.ts ${sc.code_bleu_score.toFixed(3)} (n-gram ${sc.ngram_match_score.toFixed(3)}, weighted ${sc.weighted_ngram_score.toFixed(3)}, syntax ${sc.ast_match_score.toFixed(3)}, dataflow ${sc.dataflow_match_score.toFixed(3)})`);
  }
  if (report.logs.length) {
    out.push('', p.bold(`Tool logs (${report.logs.length} line(s))`));
    for (const l of report.logs.slice(0, 50)) out.push(p.dim(`  ${esc.line(l, 'logs')}`));
    if (report.logs.length > 50) out.push(p.dim(`  … ${report.logs.length - 50} more (show --json)`));
  }
  return out;
}

function formatTests(c: ShownCandidate, p: Paint, esc: Escaper): string[] {
  const out = ['', p.bold(`Tests (${c.tests.length}, from tests.json; outputs from the last validation)`)];
  for (const t of c.tests) {
    const mark = t.passed === null ? p.dim('?') : t.passed ? p.green('✓') : p.red('✗');
    out.push(`  ${mark} ${esc.line(t.name, 'test names')}${t.generated_by !== null ? p.yellow(`  (written by the generator ${esc.line(t.generated_by, 'test provenance')}: judge it as closely as the code)`) : ''}`);
    out.push(`      input     ${esc.line(compact(t.input), `test "${t.name}" input`)}`);
    if ('expected' in t) out.push(`      expected  ${esc.line(compact(t.expected), `test "${t.name}" expected`)}`);
    if (t.expect_error !== undefined) out.push(`      expected  error ${esc.line(t.expect_error)}`);
    if (t.actual !== null) out.push(`      actual    ${esc.line(compact(t.actual), `test "${t.name}" output`)}`);
    if (t.error) out.push(`      error     ${esc.line(t.error, `test "${t.name}" error`)}`);
    if (t.diff && t.passed === false) out.push(...esc.block(t.diff, `test "${t.name}" diff`).split('\n').map((l) => `      ${l.startsWith('+') ? p.green(l) : l.startsWith('-') ? p.red(l) : l}`));
  }
  return out;
}

/** Lines of a generation/ file shown before `show --json` is needed for the rest. */
const GENERATION_LINES = 40;

/** How the candidate was generated: samples, rounds, tokens, the prompt and the raw replies (generation/, not hashed). */
function formatGeneration(c: ShownCandidate, p: Paint, esc: Escaper): string[] {
  const g = c.generation;
  if (g === null) return [];
  const out = ['', p.bold('Generation') + p.dim('  (generation/: prompts and raw replies; not covered by code_hash, so it documents and proves nothing)')];
  if (g.record === null) out.push(p.yellow(`  ${esc.line(g.problem ?? '')}`));
  else {
    const r = g.record;
    out.push(`  ${esc.line(r.backend)} ${esc.line(r.generator, 'generation')}${r.endpoint ? ` at ${esc.line(r.endpoint, 'generation')}` : ''}; spec ${r.spec_generated ? p.yellow('written by the model') : 'given'}; tests ${r.tests_source === 'generated' ? p.yellow('written by the generator') : esc.line(r.tests_source)}; ${r.tokens.total_tokens} tokens`);
    for (const s of r.samples) {
      const outcome = s.passed ? p.green(`passed in round ${s.passed_round ?? 0}`) : p.red('failed');
      out.push(`  sample ${s.sample}: ${outcome}, ${s.rounds} round(s), ${s.tokens.total_tokens} tokens${s.file ? ` -> ${esc.line(s.file, 'generation')}` : ' (no code)'}${s.sample === r.chosen_sample ? ' (chosen)' : ''}`);
    }
  }
  for (const f of g.files) {
    if (f.path === 'generation/generation.json') continue;
    const lines = esc.block(f.text, f.path).split('\n');
    out.push(p.bold(`  ${esc.line(f.path, 'file names')}`));
    out.push(...lines.slice(0, GENERATION_LINES).map((l) => p.dim(`    ${l}`)));
    if (lines.length > GENERATION_LINES || f.truncated) out.push(p.dim(`    … more in ${esc.line(f.path)} (or show --json)`));
  }
  return out;
}

function formatCode(c: ShownCandidate, p: Paint, esc: Escaper): string[] {
  const out = ['', p.bold('Code: index.ts')];
  if (c.code.index_ts === null) out.push(p.red('  index.ts is missing'));
  else {
    const lines = esc.block(c.code.index_ts, 'index.ts').split('\n');
    if (lines.at(-1) === '') lines.pop();
    const width = String(lines.length).length;
    lines.forEach((l, i) => out.push(`  ${p.dim(String(i + 1).padStart(width))} | ${l}`));
    if (c.code.truncated) out.push(p.yellow('  … index.ts is longer than shown: read the whole file before approving'));
  }
  for (const m of c.code.modules) {
    out.push(p.bold(`Code: ${esc.line(m.path, 'file names')} (compiled and run with index.ts)`));
    const lines = esc.block(m.text, m.path).split('\n');
    if (lines.at(-1) === '') lines.pop();
    const width = String(lines.length).length;
    lines.forEach((l, i) => out.push(`  ${p.dim(String(i + 1).padStart(width))} | ${l}`));
    if (m.truncated) out.push(p.yellow(`  … ${esc.line(m.path)} is longer than shown: read the whole file before approving`));
  }
  out.push(p.bold('Files of the package'));
  for (const f of c.code.files) out.push(`  ${esc.line(f.path, 'file names').padEnd(32)} ${String(f.bytes).padStart(9)} bytes`);
  return out;
}

function formatReviews(c: ShownCandidate, p: Paint, esc: Escaper): string[] {
  const out = ['', p.bold('Reviews') + p.dim(c.signatures_checked === 'allowed_signers' ? '  (approvals count only when signed by a key listed in policy.allowed_signers)' : '  (approvals are unsigned names: policy.allowed_signers is not set)')];
  if (c.reviews.length === 0) out.push(p.dim('  none yet'));
  for (const f of c.reviews) {
    const by = `${esc.line(f.reviewer, 'reviewer names')}${f.actor !== f.reviewer ? ` (run by ${esc.line(f.actor, 'actor names')})` : ''}`;
    const counts = f.decision === 'APPROVED' ? (f.counts ? p.green('counts') : p.yellow(`does not count: ${esc.line(f.why ?? '')}`)) : '';
    out.push(`  ${esc.line(f.timestamp)} ${f.decision === 'APPROVED' ? p.green(f.decision) : p.red(f.decision)} by ${by}  [${SIGNATURE_LABEL[f.signature] ?? f.signature}] ${counts}`);
    if (f.notes) out.push(...esc.block(f.notes, 'review notes').split('\n').map((l) => `      ${l}`));
  }
  out.push(`  ${esc.line(c.approvals, 'reviewer names')}`);
  for (const r of c.rejected_before) {
    out.push(p.red(`  ! these exact files were rejected before: audit line ${r.line}, ${esc.line(r.timestamp)}, by ${esc.line(r.reviewer, 'reviewer names')}: ${esc.line(r.notes, 'review notes')}`));
  }
  return out;
}

/**
 * Every active sandbox layer in words. Reports written before the OS layer existed have no
 * `layers`: they are described from their fields, and a tool granted `net` reads "granted by spec".
 */
function formatProtections(pr: SandboxProtections, permissions: readonly string[]): string {
  if (pr.layers !== undefined) return pr.layers.join('; ');
  const network = permissions.includes('net') ? 'network: granted by spec' : pr.network_namespace ? 'network: isolated (own network namespace)' : 'network: NOT isolated on this machine';
  return [pr.permission_model ? 'node permission model' : 'permission model OFF', network, `heap cap ${pr.heap_cap_mb} MB`, `wall clock ${pr.timeout_ms} ms`, `output ${pr.max_output_bytes} bytes`].join('; ');
}
