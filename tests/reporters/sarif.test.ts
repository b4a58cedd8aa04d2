import { readFileSync } from 'node:fs';
import path from 'node:path';
import AjvDraft04Module from 'ajv-draft-04';
import addFormatsModule from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { formatSarif } from '../../src/reporters/sarif.js';
import { scanTree } from '../scanner/rule-tester.js';
import { SAMPLE } from './sample-scan.js';
import { ROOT } from '../helpers.js';

// CommonJS under NodeNext: the default import is the module object; `default` is the class / function.
const Ajv = AjvDraft04Module.default;
const addFormats = addFormatsModule.default;
const schema = JSON.parse(readFileSync(path.join(ROOT, 'tests', 'fixtures', 'sarif-schema-2.1.0.json'), 'utf8')) as object;

function validateSarif(text: string): string[] {
  const ajv = new Ajv({ allErrors: true, strict: false });
  addFormats(ajv);
  const validate = ajv.compile(schema);
  if (validate(JSON.parse(text))) return [];
  return (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message ?? ''}`);
}

describe('SARIF reporter', () => {
  it('validates against the official SARIF 2.1.0 schema', () => {
    expect(validateSarif(formatSarif(SAMPLE, { passed: true, toolVersion: '0.1.0', rootUri: 'file:///work/project/' }))).toEqual([]);
  });

  it('an empty scan validates too', () => {
    expect(validateSarif(formatSarif({ ...SAMPLE, findings: [], error_count: 0, warning_count: 0 }, { passed: true, toolVersion: '0.1.0', rootUri: 'file:///x/' }))).toEqual([]);
  });

  it('has the driver rules, levels, relative encoded URIs against %SRCROOT%, regions and snippets', () => {
    const sarif = JSON.parse(formatSarif(SAMPLE, { passed: true, toolVersion: '0.1.0', rootUri: 'file:///work/project/' })) as {
      version: string;
      runs: Array<{ tool: { driver: { name: string; rules: Array<{ id: string }> } }; originalUriBaseIds: object; results: Array<Record<string, unknown>> }>;
    };
    expect(sarif.version).toBe('2.1.0');
    const run = sarif.runs[0]!;
    expect(run.tool.driver.name).toBe('toolsmith');
    expect(run.tool.driver.rules.map((r) => r.id)).toEqual(['no-eval', 'unused-suppression']);
    expect(run.originalUriBaseIds).toEqual({ '%SRCROOT%': { uri: 'file:///work/project/' } });
    expect(run.results[0]).toEqual({
      ruleId: 'no-eval',
      ruleIndex: 0,
      level: 'error',
      message: { text: '`eval(...)` is forbidden here' },
      locations: [{ physicalLocation: { artifactLocation: { uri: 'src/a%20b.ts', uriBaseId: '%SRCROOT%' }, region: { startLine: 3, startColumn: 5, endLine: 3, endColumn: 14, snippet: { text: 'eval' } } } }],
    });
    expect(run.results[1]).toMatchObject({ ruleId: 'unused-suppression', ruleIndex: 1, level: 'warning' });
  });

  it('the snippet is the flagged text, even at column 50,000 of a minified line (issue 9 item 18)', () => {
    const minified = `${'var a=1;'.repeat(6250)}eval(s);${'var b=2;'.repeat(100)}`;
    const withScanner = scanTree({ 'dist-min.js': minified }, [{ kind: 'forbidden-call', options: { names: ['eval'] } }]);
    expect(withScanner.map((f) => [f.column, f.snippet])).toEqual([[50_001, 'eval']]);
    const finding = withScanner[0];
    expect(finding?.excerpt.length).toBeLessThanOrEqual(202);
    expect(finding?.excerpt).toContain('eval(s);');
    const report = { ...SAMPLE, findings: withScanner, error_count: 1, warning_count: 0 };
    const text = formatSarif(report, { passed: true, toolVersion: '0.1.0', rootUri: 'file:///p/' });
    expect(validateSarif(text)).toEqual([]);
    const region = (JSON.parse(text) as { runs: Array<{ results: Array<{ locations: Array<{ physicalLocation: { region: object } }> }> }> }).runs[0]?.results[0]?.locations[0]?.physicalLocation.region;
    expect(region).toEqual({ startLine: 1, startColumn: 50_001, endLine: 1, endColumn: 50_005, snippet: { text: 'eval' } });
  });

  it('a finding without a span (a skipped file) has no snippet', () => {
    const skipped = { rule: 'skipped-file', kind: 'skipped-file', severity: 'error' as const, message: 'a FIFO', file: 'p.ts', line: 1, column: 1, end_line: 1, end_column: 1, excerpt: '', snippet: '' };
    const text = formatSarif({ ...SAMPLE, findings: [skipped] }, { passed: true, toolVersion: '0.1.0', rootUri: 'file:///p/' });
    expect(validateSarif(text)).toEqual([]);
    expect(text).not.toContain('snippet');
  });
});
