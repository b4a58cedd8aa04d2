// The findings reporters take the scan result by shape (reporters may import only models,
// docs/architecture.md); src/scanner's ScanResult satisfies it, checked in tests/reporters.

/** One finding as reporters see it (SPEC 9): rule, severity, message and position. */
export interface ReportedFinding {
  rule: string;
  kind: string;
  severity: 'error' | 'warning';
  message: string;
  file: string;
  line: number;
  column: number;
  end_line: number;
  end_column: number;
  excerpt: string;
}

/** A scan result as reporters see it. */
export interface FindingsReport {
  findings: readonly ReportedFinding[];
  files_scanned: number;
  error_count: number;
  warning_count: number;
  rules: ReadonlyArray<{ id: string; kind: string; description: string; severity: 'error' | 'warning' }>;
}

export interface FindingsReporterOptions {
  /** Whether the scan passes (no errors, warnings within --max-warnings). */
  passed: boolean;
  maxWarnings?: number | undefined;
}

/** The scan as one JSON document (`--format json`, `--json`). */
export function formatFindingsJson(report: FindingsReport, options: FindingsReporterOptions): string {
  return JSON.stringify({
    ok: options.passed,
    files_scanned: report.files_scanned,
    error_count: report.error_count,
    warning_count: report.warning_count,
    ...(options.maxWarnings !== undefined ? { max_warnings: options.maxWarnings } : {}),
    findings: report.findings,
  }, null, 2);
}
