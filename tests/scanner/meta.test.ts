// Meta-test (STYLE habit 7): every rule kind has valid and invalid cases (read as data, not
// grepped), every rule the engine can report has a test file and a doc,
// and the config model's kinds are exactly the registry's.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { SCAN_RULE_KINDS } from '../../src/models/config.js';
import { ENGINE_RULES, RULES } from '../../src/scanner/index.js';
import { ROOT } from '../helpers.js';
import type { RuleTable } from './rule-tester.js';

const ids = [...Object.keys(RULES), ...Object.keys(ENGINE_RULES)];

describe('scanner rules meta', () => {
  it('the config model lists exactly the registered kinds', () => {
    expect([...SCAN_RULE_KINDS].sort()).toEqual(Object.keys(RULES).sort());
    for (const [kind, module] of Object.entries(RULES)) expect(module.kind).toBe(kind);
  });

  it('each rule module is in src/scanner/rules/<kind>.ts', () => {
    const files = readdirSync(path.join(ROOT, 'src', 'scanner', 'rules')).map((f) => f.replace(/\.ts$/, '')).sort();
    expect(files).toEqual(Object.keys(RULES).sort());
  });

  it.each(ids)('%s has a test file in tests/scanner/rules/', (id) => {
    const file = path.join(ROOT, 'tests', 'scanner', 'rules', `${id}.test.ts`);
    expect(existsSync(file), `missing ${path.relative(ROOT, file)}`).toBe(true);
  });

  it.each(Object.keys(RULES))('%s has at least one valid and one invalid case, each for its own kind', async (kind) => {
    const file = path.join(ROOT, 'tests', 'scanner', 'rules', `${kind}.cases.ts`);
    expect(existsSync(file), `missing ${path.relative(ROOT, file)}`).toBe(true);
    const { tables } = (await import(pathToFileURL(file).href)) as { tables: RuleTable[] };
    expect(tables.length).toBeGreaterThan(0);
    for (const table of tables) expect(table.rule.kind).toBe(kind);
    expect(tables.reduce((n, t) => n + t.valid.length, 0), `${kind}: no valid case`).toBeGreaterThan(0);
    expect(tables.reduce((n, t) => n + t.invalid.length, 0), `${kind}: no invalid case`).toBeGreaterThan(0);
    for (const table of tables) for (const c of table.invalid) expect(c.errors.length, `${kind}: an invalid case expects no finding`).toBeGreaterThan(0);
  });

  it.each(ids)('%s has a doc in docs/rules/ with an example', (id) => {
    const file = path.join(ROOT, 'docs', 'rules', `${id}.md`);
    expect(existsSync(file), `missing ${path.relative(ROOT, file)}`).toBe(true);
    const text = readFileSync(file, 'utf8');
    expect(text.startsWith(`# ${id}\n`), `${id}.md must start with "# ${id}"`).toBe(true);
    expect(text).toContain('```');
  });

  it.each(Object.entries(RULES))('%s documents every option key of its schema', (kind, module) => {
    const text = readFileSync(path.join(ROOT, 'docs', 'rules', `${kind}.md`), 'utf8');
    // zod 4 objects (refined ones too) expose their keys as `shape`.
    const keys = Object.keys((module.options as { shape?: Record<string, unknown> }).shape ?? {});
    expect(keys.length > 0 || kind.startsWith('tool-'), `${kind}: options schema is not an object`).toBe(true);
    for (const key of keys) expect(text, `docs/rules/${kind}.md does not mention option \`${key}\``).toContain(`\`${key}\``);
  });
});
