import { describe, expect, it } from 'vitest';
import { REPORTERS, type ReporterOptions } from '../../src/reporters/index.js';
import { SAMPLE } from './sample-scan.js';

const formatFindingsText = REPORTERS.text;
const formatFindingsJson = REPORTERS.json;
const opts = (o: Pick<ReporterOptions, 'passed' | 'maxWarnings' | 'escape'>): ReporterOptions => ({ toolVersion: '0.1.0', rootUri: 'file:///p/', ...o });

describe('findings reporters', () => {
  it('one map of the scan formats; only text escapes untrusted text for the terminal', () => {
    expect(Object.keys(REPORTERS)).toEqual(['text', 'json', 'sarif']);
    const hostile = { ...SAMPLE, findings: [{ ...SAMPLE.findings[0]!, file: 'src/\u001b[2Ja.ts', message: 'bad \u001b]0;x\u0007' }] };
    const escape = (text: string) => text.replace(/\u001b/g, '\\x1b').replace(/\u0007/g, '\\x07');
    const text = REPORTERS.text(hostile, opts({ passed: false, escape }));
    expect(text).not.toMatch(/\u001b/);
    expect(text).toContain('src/\\x1b[2Ja.ts:3:5');
    for (const format of ['json', 'sarif'] as const) expect(REPORTERS[format](hostile, opts({ passed: false, escape }))).toContain('\\u001b');
  });

  it('text: grouped by file, `file:line:col  severity  rule  message`, then a summary', () => {
    expect(formatFindingsText(SAMPLE, opts({ passed: false }))).toBe([
      'src/a b.ts:3:5   error    no-eval             `eval(...)` is forbidden here',
      'src/a b.ts:10:4  warning  unused-suppression  unused',
      '',
      'src/c.ts:1:1  error    no-eval  `eval(...)` is forbidden here',
      '',
      '✗ 2 errors, 1 warning in 2 files (3 files scanned)',
    ].join('\n'));
  });

  it('text: a clean scan and warnings over the maximum', () => {
    expect(formatFindingsText({ ...SAMPLE, findings: [], error_count: 0, warning_count: 0 }, opts({ passed: true }))).toBe('✓ 3 files scanned, no findings');
    const warnings = { ...SAMPLE, findings: SAMPLE.findings.slice(1, 2), error_count: 0 };
    expect(formatFindingsText(warnings, opts({ passed: false, maxWarnings: 0 }))).toMatch(/✗ 0 errors, 1 warning in 1 file \(3 files scanned\); more warnings than --max-warnings 0$/);
    expect(formatFindingsText(warnings, opts({ passed: true }))).toMatch(/! 0 errors, 1 warning/);
  });

  it('json: one document with counts and the findings', () => {
    const doc = JSON.parse(formatFindingsJson(SAMPLE, opts({ passed: false, maxWarnings: 5 }))) as Record<string, unknown>;
    expect(doc).toEqual({ ok: false, files_scanned: 3, files_skipped: 0, error_count: 2, warning_count: 1, max_warnings: 5, findings: SAMPLE.findings });
  });

  it('skipped files: counted in the text summary and the JSON document', () => {
    const skipped = { rule: 'skipped-file', kind: 'skipped-file', severity: 'error' as const, message: 'a FIFO, not a regular file; not read', file: 'src/p.ts', line: 1, column: 1, end_line: 1, end_column: 1, excerpt: '', snippet: '' };
    const report = { ...SAMPLE, files_scanned: 2, files_skipped: 1, error_count: 3, findings: [...SAMPLE.findings, skipped] };
    expect(formatFindingsText(report, opts({ passed: false }))).toMatch(/\nsrc\/p\.ts:1:1  error    skipped-file  a FIFO, not a regular file; not read\n\n✗ 3 errors, 1 warning in 3 files \(2 files scanned, 1 skipped\)$/);
    expect(JSON.parse(formatFindingsJson(report, opts({ passed: false })))).toMatchObject({ files_scanned: 2, files_skipped: 1, error_count: 3 });
  });
});
