import { readFileSync } from 'node:fs';
import path from 'node:path';
import AjvDraft04Module from 'ajv-draft-04';
import addFormatsModule from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { formatSarif } from '../../src/reporters/sarif.js';
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
    expect(validateSarif(formatSarif(SAMPLE, { toolVersion: '0.1.0', rootUri: 'file:///work/project/' }))).toEqual([]);
  });

  it('an empty scan validates too', () => {
    expect(validateSarif(formatSarif({ ...SAMPLE, findings: [], error_count: 0, warning_count: 0 }, { toolVersion: '0.1.0', rootUri: 'file:///x/' }))).toEqual([]);
  });

  it('has the driver rules, levels, relative encoded URIs against %SRCROOT%, regions and snippets', () => {
    const sarif = JSON.parse(formatSarif(SAMPLE, { toolVersion: '0.1.0', rootUri: 'file:///work/project/' })) as {
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
      locations: [{ physicalLocation: { artifactLocation: { uri: 'src/a%20b.ts', uriBaseId: '%SRCROOT%' }, region: { startLine: 3, startColumn: 5, endLine: 3, endColumn: 14, snippet: { text: 'x = eval(s);' } } } }],
    });
    expect(run.results[1]).toMatchObject({ ruleId: 'unused-suppression', ruleIndex: 1, level: 'warning' });
  });
});
