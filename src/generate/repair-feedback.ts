import type { TestCase, ValidationReport } from '../models/index.js';

/** Feedback longer than this is cut (a model's context is finite; the first problems matter most). */
const MAX_FEEDBACK_CHARS = 12_000;
const TYPE_ERROR = /^[^\s:]+:\d+:\d+ TS\d+: /;
const TEST_FAILED = /^test "/;

/**
 * The structured feedback a repair round sends back (SPEC 12): type errors with file:line,
 * each failing test with its input, expected and actual output (or the error envelope),
 * schema errors, scan findings, and a one-line summary of the earlier rounds. Pure.
 */
export function createRepairFeedback(report: ValidationReport, tests: readonly TestCase[], earlier: readonly string[]): string {
  const sections: string[] = [];
  if (earlier.length > 0) sections.push(`Earlier rounds: ${earlier.join('; ')}.`);
  const typeErrors = report.errors.filter((e) => TYPE_ERROR.test(e));
  if (typeErrors.length > 0) sections.push(section('Type errors (file:line:column)', typeErrors));
  const failing = describeFailingTests(report, tests);
  if (failing.length > 0) sections.push(section('Failing tests', failing));
  const scan = report.findings.filter((f) => f.severity === 'error').map((f) => `${f.file}:${f.line}:${f.column} ${f.rule}: ${f.message}`);
  if (scan.length > 0) sections.push(section('Forbidden constructs (the scanner)', scan));
  const scanLines = new Set(scan);
  const other = report.errors.filter((e) => !TYPE_ERROR.test(e) && !TEST_FAILED.test(e) && !scanLines.has(e));
  if (other.length > 0) sections.push(section('Other problems', other));
  if (!report.sandbox_ok && report.code_metrics !== null) sections.push('The sandbox stopped a run (a limit or a permission denial): stay within the granted permissions and limits.');
  const text = sections.join('\n\n');
  return text.length > MAX_FEEDBACK_CHARS ? `${text.slice(0, MAX_FEEDBACK_CHARS)}\n[feedback cut]` : text;
}

/** One line per earlier round, for the next round's summary. Pure. */
export function summarizeRound(round: number, report: ValidationReport | null, problem: string | null): string {
  if (report === null) return `round ${round}: ${problem ?? 'no code'}`;
  const parts: string[] = [];
  const fc = report.code_metrics?.functional_correctness;
  if (fc) parts.push(`${fc.test_cases_passed} of ${fc.test_cases_total} tests passed`);
  else if (!report.tests_ok) parts.push('tests did not run');
  if (!report.typecheck_ok) parts.push('type errors');
  if (!report.scan_ok) parts.push('scanner findings');
  if (!report.schema_ok) parts.push('schema problems');
  return `round ${round}: ${parts.length > 0 ? parts.join(', ') : 'failed'}`;
}

function describeFailingTests(report: ValidationReport, tests: readonly TestCase[]): string[] {
  const results = report.code_metrics?.functional_correctness.test_results ?? [];
  const byName = new Map(tests.map((t) => [t.name, t]));
  return results
    .filter((r) => !r.passed)
    .map((r) => {
      const test = byName.get(r.name);
      const lines = [`"${r.name}"`];
      if (test) lines.push(`  input: ${json(test.input)}`);
      if (test && 'expected' in test) lines.push(`  expected: ${json(test.expected)}`);
      if (test && 'expect_error' in test) lines.push(`  expected: an error of type ${test.expect_error}`);
      if (r.actual !== undefined) lines.push(`  actual: ${json(r.actual)}`);
      if (r.error) {
        const details = Object.keys(r.error.error.details).length === 0 ? '' : ` details: ${json(r.error.error.details)}`;
        lines.push(`  actual: error ${r.error.error.type}: ${r.error.error.message}${details}`);
      }
      return lines.join('\n');
    });
}

function section(title: string, lines: readonly string[]): string {
  return `${title}:\n${lines.map((l) => `- ${l}`).join('\n')}`;
}

function json(value: unknown): string {
  const text = JSON.stringify(value) ?? 'undefined';
  return text.length > 2000 ? `${text.slice(0, 2000)}…` : text;
}
