// The scanner's result model (SPEC 9), shared by src/scanner (which builds it) and
// src/reporters (which format it): types only, no runtime.

export type Severity = 'error' | 'warning';

/** One problem found in one file (SPEC 9): what, where, and the line it is on. */
export interface Finding {
  /** The configured rule's id (the kind unless the config names it). */
  rule: string;
  kind: string;
  severity: Severity;
  message: string;
  /** Path relative to the scan root, with `/` separators. */
  file: string;
  line: number;
  column: number;
  end_line: number;
  end_column: number;
  /**
   * The source line the finding starts on, trimmed; on a line longer than 200 characters, a
   * window of it (at most 200 characters, `…` where cut) that begins shortly before the finding.
   */
  excerpt: string;
  /**
   * The flagged text itself (line/column to end_line/end_column); empty for a point or text
   * over 1,000 characters. The scanner always sets it; only findings read back from
   * validation reports written before it existed lack it.
   */
  snippet?: string;
}

/** What a scan returns: the findings in file, line, column order, and what was looked at. */
export interface ScanResult {
  findings: Finding[];
  files_scanned: number;
  /** Files and folders that could not be checked (each has a `skipped-file` finding). */
  files_skipped: number;
  error_count: number;
  warning_count: number;
  /** Every rule that could report, for SARIF's tool.driver.rules. */
  rules: Array<{ id: string; kind: string; description: string; severity: Severity }>;
}
