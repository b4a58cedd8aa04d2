import type { Finding, ScanResult } from '../models/scan-result.js';
import type { ReporterOptions, TextPaint } from './reporter.js';

const NO_PAINT: TextPaint = { bold: (s) => s, dim: (s) => s, red: (s) => s, green: (s) => s, yellow: (s) => s };

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/**
 * Findings grouped by file, one per line as `file:line:col  severity  rule  message`
 * (a location editors and terminals can open), then a one-line summary.
 */
export function formatFindingsText(report: ScanResult, options: ReporterOptions): string {
  const p = options.paint ?? NO_PAINT;
  const escape = options.escape ?? ((text: string) => text);
  const groups = new Map<string, Finding[]>();
  // File names and messages quote scanned code (untrusted): escaped for a terminal here, once.
  for (const found of report.findings) {
    const f = { ...found, file: escape(found.file), message: escape(found.message) };
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
