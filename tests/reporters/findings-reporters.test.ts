import { describe, expect, expectTypeOf, it } from 'vitest';
import type { FindingsReport } from '../../src/reporters/findings-json.js';
import { formatFindingsJson } from '../../src/reporters/findings-json.js';
import { formatFindingsText } from '../../src/reporters/findings-text.js';
import type { ScanResult } from '../../src/scanner/index.js';
import { SAMPLE } from './sample-scan.js';

const plain = { bold: (s: string) => s, dim: (s: string) => s, red: (s: string) => s, green: (s: string) => s, yellow: (s: string) => s };

describe('findings reporters', () => {
  it('the scanner result fits the reporters\' input shape', () => {
    expectTypeOf<ScanResult>().toMatchTypeOf<FindingsReport>();
  });

  it('text: grouped by file, `file:line:col  severity  rule  message`, then a summary', () => {
    expect(formatFindingsText(SAMPLE, { passed: false, paint: plain })).toBe([
      'src/a b.ts:3:5   error    no-eval             `eval(...)` is forbidden here',
      'src/a b.ts:10:4  warning  unused-suppression  unused',
      '',
      'src/c.ts:1:1  error    no-eval  `eval(...)` is forbidden here',
      '',
      '✗ 2 errors, 1 warning in 2 files (3 files scanned)',
    ].join('\n'));
  });

  it('text: a clean scan and warnings over the maximum', () => {
    expect(formatFindingsText({ ...SAMPLE, findings: [], error_count: 0, warning_count: 0 }, { passed: true, paint: plain })).toBe('✓ 3 files scanned, no findings');
    const warnings = { ...SAMPLE, findings: SAMPLE.findings.slice(1, 2), error_count: 0 };
    expect(formatFindingsText(warnings, { passed: false, maxWarnings: 0, paint: plain })).toMatch(/✗ 0 errors, 1 warning in 1 file \(3 files scanned\); more warnings than --max-warnings 0$/);
    expect(formatFindingsText(warnings, { passed: true, paint: plain })).toMatch(/! 0 errors, 1 warning/);
  });

  it('json: one document with counts and the findings', () => {
    const doc = JSON.parse(formatFindingsJson(SAMPLE, { passed: false, maxWarnings: 5 })) as Record<string, unknown>;
    expect(doc).toEqual({ ok: false, files_scanned: 3, files_skipped: 0, error_count: 2, warning_count: 1, max_warnings: 5, findings: SAMPLE.findings });
  });

  it('skipped files: counted in the text summary and the JSON document', () => {
    const skipped = { rule: 'skipped-file', kind: 'skipped-file', severity: 'error' as const, message: 'a FIFO, not a regular file; not read', file: 'src/p.ts', line: 1, column: 1, end_line: 1, end_column: 1, excerpt: '', snippet: '' };
    const report = { ...SAMPLE, files_scanned: 2, files_skipped: 1, error_count: 3, findings: [...SAMPLE.findings, skipped] };
    expect(formatFindingsText(report, { passed: false, paint: plain })).toMatch(/\nsrc\/p\.ts:1:1  error    skipped-file  a FIFO, not a regular file; not read\n\n✗ 3 errors, 1 warning in 3 files \(2 files scanned, 1 skipped\)$/);
    expect(JSON.parse(formatFindingsJson(report, { passed: false }))).toMatchObject({ files_scanned: 2, files_skipped: 1, error_count: 3 });
  });
});
