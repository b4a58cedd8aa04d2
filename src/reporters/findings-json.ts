import type { ScanResult } from '../models/scan-result.js';
import type { ReporterOptions } from './reporter.js';

/** The scan as one JSON document (`--format json`, `--json`). */
export function formatFindingsJson(report: ScanResult, options: ReporterOptions): string {
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
