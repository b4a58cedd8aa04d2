import { describe, expect, it } from 'vitest';
import { parseScanConfig } from '../../src/scanner/index.js';
import type { ScanConfig } from '../../src/models/config.js';

const parse = (rules: unknown[], toolRules = false) => () => parseScanConfig({ rules, tool_rules: toolRules, ignore: [] } as ScanConfig, 'toolsmith.config.json');

describe('parseScanConfig', () => {
  it('names the key of a bad option', () => {
    expect(parse([{ kind: 'forbidden-call', options: { names: [] } }])).toThrow(/^toolsmith\.config\.json: scan\.rules\.0\.options\.names: /);
    expect(parse([{ kind: 'forbidden-call', options: { names: ['eval'], nmes: 1 } }])).toThrow('unknown key scan.rules.0.options.nmes');
    expect(parse([{ kind: 'method-signature', options: { class: 'A', method: 'b', min_params: -1 } }])).toThrow(/scan\.rules\.0\.options\.min_params/);
    expect(parse([{ kind: 'import-boundary', options: {} }])).toThrow(/scan\.rules\.0\.options: needs `disallow` or `allow`/);
    expect(parse([{ kind: 'forbidden-call' }])).toThrow(/scan\.rules\.0\.options\.names/);
  });

  it('refuses two rules with the same id (suppressions name rules by id)', () => {
    expect(parse([{ kind: 'forbidden-call', options: { names: ['a'] } }, { kind: 'forbidden-call', options: { names: ['b'] } }]))
      .toThrow('scan.rules.1.id: "forbidden-call" is already used by scan.rules.0; give each rule its own id');
  });

  it('adds the tool-package rules when tool_rules is on, skips rules that are off, applies files/except/allow_in', () => {
    const { rules } = parseScanConfig({ rules: [
      { kind: 'forbidden-call', id: 'a', files: ['src/**'], except: ['src/x/**'], allow_in: ['src/y/**'], options: { names: ['eval'] } },
      { kind: 'forbidden-call', id: 'b', severity: 'off', options: { names: ['eval'] } },
    ], tool_rules: true, ignore: [] }, 'c.json');
    expect(rules.map((r) => r.id)).toEqual(['a', 'tool-default-export', 'tool-no-module-state', 'tool-capabilities', 'tool-no-eval']);
    const a = rules[0]!;
    expect([a.appliesTo('src/a.ts'), a.appliesTo('src/x/a.ts'), a.appliesTo('src/y/a.ts'), a.appliesTo('lib/a.ts')]).toEqual([true, false, false, false]);
    const toolEval = rules[4]!;
    expect([toolEval.appliesTo('staged/t/index.ts'), toolEval.appliesTo('registry/tools/t/1.0.0/index.ts'), toolEval.appliesTo('registry/tools/t/1.0.0/build/index.js'), toolEval.appliesTo('src/a.ts')])
      .toEqual([true, true, false, false]);
  });
});
