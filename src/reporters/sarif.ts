import type { ScanResult } from '../models/scan-result.js';
import type { ReporterOptions } from './reporter.js';

/** A root-relative path as a relative URI reference: each segment percent-encoded. */
function toUri(file: string): string {
  return file.split('/').map(encodeURIComponent).join('/');
}

/**
 * SARIF 2.1.0 (what code-scanning UIs read): one run, the driver's rules (every configured
 * rule plus the engine's own), results with relative URIs against %SRCROOT%.
 */
export function formatSarif(report: ScanResult, options: ReporterOptions): string {
  const ruleIndex = new Map(report.rules.map((r, i) => [r.id, i]));
  const sarif = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [{
      tool: {
        driver: {
          name: 'toolsmith',
          version: options.toolVersion,
          rules: report.rules.map((r) => ({
            id: r.id,
            name: r.id,
            shortDescription: { text: r.description },
            help: { text: `docs/rules/${r.kind}.md` },
            defaultConfiguration: { level: r.severity },
            properties: { kind: r.kind },
          })),
        },
      },
      originalUriBaseIds: { '%SRCROOT%': { uri: options.rootUri } },
      columnKind: 'utf16CodeUnits',
      results: report.findings.map((f) => ({
        ruleId: f.rule,
        ...(ruleIndex.has(f.rule) ? { ruleIndex: ruleIndex.get(f.rule) } : {}),
        level: f.severity,
        message: { text: f.message },
        locations: [{
          physicalLocation: {
            artifactLocation: { uri: toUri(f.file), uriBaseId: '%SRCROOT%' },
            region: {
              startLine: f.line,
              startColumn: f.column,
              endLine: f.end_line,
              endColumn: f.end_column,
              // SARIF 3.30.13: a region's snippet is the text of that region, so the flagged text, not the line.
              ...(f.snippet ? { snippet: { text: f.snippet } } : {}),
            },
          },
        }],
      })),
    }],
  };
  return JSON.stringify(sarif, null, 2);
}
