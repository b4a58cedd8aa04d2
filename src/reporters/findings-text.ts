import type { FindingsReport, FindingsReporterOptions, ReportedFinding } from './findings-json.js';

/** Colour functions (identity when colour is off); the CLI passes its Paint. */
export interface TextPaint {
  bold(s: string): string;
  dim(s: string): string;
  red(s: string): string;
  green(s: string): string;
  yellow(s: string): string;
}

export interface FindingsTextOptions extends FindingsReporterOptions {
  paint: TextPaint;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/**
 * Findings grouped by file, one per line as `file:line:col  severity  rule  message`
 * (a location editors and terminals can open), then a one-line summary.
 */
export function formatFindingsText(report: FindingsReport, options: FindingsTextOptions): string {
  const p = options.paint;
  const groups = new Map<string, ReportedFinding[]>();
  for (const f of report.findings) {
    const group = groups.get(f.file);
    if (group) group.push(f);
    else groups.set(f.file, [f]);
  }
  const blocks: string[] = [];
  for (const findings of groups.values()) {
    const locations = findings.map((f) => `${f.file}:${f.line}:${f.column}`);
    const width = Math.max(...locations.map((l) => l.length));
    const rulesWidth = Math.max(...findings.map((f) => f.rule.length));
    blocks.push(findings.map((f, i) => {
      const severity = f.severity === 'error' ? p.red('error  ') : p.yellow('warning');
      return `${(locations[i] ?? '').padEnd(width)}  ${severity}  ${p.dim(f.rule.padEnd(rulesWidth))}  ${f.message}`;
    }).join('\n'));
  }
  // A skipped file always has a finding, so only the summary with findings names them.
  const files = `${plural(report.files_scanned, 'file')} scanned${report.files_skipped > 0 ? `, ${report.files_skipped} skipped` : ''}`;
  let summary: string;
  if (report.findings.length === 0) summary = `${p.green('✓')} ${files}, no findings`;
  else {
    const counts = `${plural(report.error_count, 'error')}, ${plural(report.warning_count, 'warning')} in ${plural(groups.size, 'file')} (${files})`;
    const over = options.maxWarnings !== undefined && report.warning_count > options.maxWarnings ? `; more warnings than --max-warnings ${options.maxWarnings}` : '';
    summary = options.passed ? `${p.yellow('!')} ${counts}` : `${p.red('✗')} ${counts}${over}`;
  }
  return [...blocks, summary].join('\n\n');
}
