import type { ValidationReport } from '../models/index.js';

export interface JunitInput {
  candidates: Array<{ tool_id: string; report: ValidationReport }>;
  /** Candidates that could not be read: a suite each with one errored case. */
  broken?: Array<{ tool_id: string; problem: string }>;
}

function escapeXml(text: string): string {
  // Also drop characters XML 1.0 cannot hold at all (control characters other than tab/newline).
  return text
    .replace(/[^\x09\x0A\x0D\x20-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, '')
    .replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

/** JUnit XML: one testsuite per candidate, one testcase per gate and per test case. */
export function formatJunit(input: JunitInput): string {
  const suites = input.candidates.map(({ tool_id, report }) => {
    const cases: string[] = [];
    const gates = [['schema', report.schema_ok], ['typecheck', report.typecheck_ok], ['tests', report.tests_ok], ['sandbox', report.sandbox_ok]] as const;
    for (const [name, ok] of gates) {
      cases.push(ok
        ? `    <testcase classname="${escapeXml(tool_id)}.gates" name="${name}"/>`
        : `    <testcase classname="${escapeXml(tool_id)}.gates" name="${name}"><failure message="${name} gate failed">${escapeXml(report.errors.join('\n'))}</failure></testcase>`);
    }
    for (const t of report.code_metrics?.functional_correctness.test_results ?? []) {
      const time = (t.duration_ms / 1000).toFixed(3);
      const body = t.passed ? '' : `<failure message="${escapeXml(t.error ? `${t.error.error.type}: ${t.error.error.message}` : 'output differs')}">${escapeXml(t.diff ?? '')}</failure>`;
      cases.push(`    <testcase classname="${escapeXml(tool_id)}.tests" name="${escapeXml(t.name)}" time="${time}">${body}</testcase>`);
    }
    const failures = cases.filter((c) => c.includes('<failure')).length;
    return `  <testsuite name="${escapeXml(tool_id)}" tests="${cases.length}" failures="${failures}" errors="0" time="${(report.duration_ms / 1000).toFixed(3)}" timestamp="${escapeXml(report.validated_at)}">\n${cases.join('\n')}\n  </testsuite>`;
  });
  for (const { tool_id, problem } of input.broken ?? []) {
    suites.push(`  <testsuite name="${escapeXml(tool_id)}" tests="1" failures="0" errors="1" time="0.000">\n    <testcase classname="${escapeXml(tool_id)}.gates" name="read"><error message="${escapeXml(problem)}"/></testcase>\n  </testsuite>`);
  }
  const total = input.candidates.reduce((n, c) => n + 4 + (c.report.code_metrics?.functional_correctness.test_results.length ?? 0), 0) + (input.broken?.length ?? 0);
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="toolsmith validate" tests="${total}">\n${suites.join('\n')}\n</testsuites>\n`;
}
