import type { Finding, ScanResult } from '../models/scan-result.js';

/** One finding as reporters see it (SPEC 9): rule, severity, message and position. */
export type ReportedFinding = Finding;

/** A scan result as reporters see it. */
export type FindingsReport = ScanResult;

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
    files_skipped: report.files_skipped,
    error_count: report.error_count,
    warning_count: report.warning_count,
    ...(options.maxWarnings !== undefined ? { max_warnings: options.maxWarnings } : {}),
    findings: report.findings,
  }, null, 2);
}
