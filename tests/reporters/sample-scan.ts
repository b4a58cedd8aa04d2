import type { ScanResult } from '../../src/scanner/index.js';

/** A small scan result for reporter tests: two files, an error, a warning, a path with a space. */
export const SAMPLE: ScanResult = {
  files_scanned: 3,
  files_skipped: 0,
  error_count: 2,
  warning_count: 1,
  rules: [
    { id: 'no-eval', kind: 'forbidden-call', description: 'no eval', severity: 'error' },
    { id: 'unused-suppression', kind: 'unused-suppression', description: 'unused', severity: 'warning' },
  ],
  findings: [
    { rule: 'no-eval', kind: 'forbidden-call', severity: 'error', message: '`eval(...)` is forbidden here', file: 'src/a b.ts', line: 3, column: 5, end_line: 3, end_column: 14, excerpt: 'x = eval(s);', snippet: 'eval' },
    { rule: 'unused-suppression', kind: 'unused-suppression', severity: 'warning', message: 'unused', file: 'src/a b.ts', line: 10, column: 4, end_line: 10, end_column: 31, excerpt: '// toolsmith-disable-next-line no-eval -- x', snippet: 'toolsmith-disable-next-line' },
    { rule: 'no-eval', kind: 'forbidden-call', severity: 'error', message: '`eval(...)` is forbidden here', file: 'src/c.ts', line: 1, column: 1, end_line: 1, end_column: 9, excerpt: 'eval(s);', snippet: 'eval' },
  ],
};
