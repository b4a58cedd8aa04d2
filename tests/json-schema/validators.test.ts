import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { compileSchema } from '../../src/json-schema/compile-schema.js';
import { toRe2Syntax } from '../../src/json-schema/regexp-engine.js';
import { validateWithin } from '../../src/json-schema/standalone-runtime.js';
import { loadSpecValidators } from '../../src/json-schema/validator-cache.js';

const SCHEMAS = {
  input_schema: { type: 'object', properties: { code: { type: 'string', pattern: '^[A-Z]{2}\\d+$' } }, required: ['code'], additionalProperties: false },
  output_schema: { type: 'object', properties: { ok: { type: 'boolean' } }, required: ['ok'] },
};

describe('validators compiled by toolsmith from the spec, cached with an integrity check', () => {
  const cache = mkdtempSync(path.join(os.tmpdir(), 'toolsmith-validator-cache-'));
  afterAll(() => rmSync(cache, { recursive: true, force: true }));

  it('compiles, caches, and reads back validators that agree with ajv', async () => {
    const first = await loadSpecValidators(SCHEMAS, cache);
    const files = readdirSync(path.join(cache, 'validators'));
    expect(files).toHaveLength(1);
    const second = await loadSpecValidators(SCHEMAS, cache);
    for (const value of [{ code: 'AB12' }, { code: 'ab12' }, { code: 'AB' }, {}, { code: 'AB1', x: 1 }]) {
      expect(second.input(value)).toBe(compileSchema(SCHEMAS.input_schema)(value));
      expect(first.input(value)).toBe(second.input(value));
    }
  });

  it('ignores a tampered cache file and writes a good one again', async () => {
    const dir = path.join(cache, 'validators');
    const [name = ''] = readdirSync(dir);
    const file = path.join(dir, name);
    writeFileSync(file, readFileSync(file, 'utf8').replace('return', 'globalThis.__planted = true; return'));
    const validators = await loadSpecValidators(SCHEMAS, cache);
    expect((globalThis as Record<string, unknown>)['__planted']).toBeUndefined();
    expect(validators.input({ code: 'AB12' })).toBe(true);
    expect(readFileSync(file, 'utf8')).not.toContain('__planted');
  });
});

describe('bounded validation', () => {
  it('stops a quadratic uniqueItems at the deadline', () => {
    const validate = compileSchema({ type: 'array', uniqueItems: true, items: { type: 'object' } });
    const data = Array.from({ length: 200_000 }, (_, i) => ({ i }));
    expect(validateWithin(validate, data, 200)).toEqual({ status: 'timeout' });
  });

  it('returns the errors of an invalid value and "valid" otherwise', () => {
    const validate = compileSchema(SCHEMAS.input_schema);
    expect(validateWithin(validate, { code: 'AB12' }, 1_000)).toEqual({ status: 'valid' });
    expect(validateWithin(validate, { code: 'x' }, 1_000)).toMatchObject({ status: 'invalid', errors: [expect.objectContaining({ keyword: 'pattern' })] });
  });

  it('matches a catastrophic-backtracking pattern in linear time (RE2)', () => {
    const validate = compileSchema({ type: 'string', pattern: '^(a+)+$' });
    expect(validateWithin(validate, `${'a'.repeat(100_000)}!`, 5_000)).toMatchObject({ status: 'invalid' });
    expect(validateWithin(validate, 'aaaa', 5_000)).toEqual({ status: 'valid' });
  });

  it('refuses patterns RE2 cannot run, naming them', () => {
    expect(() => compileSchema({ type: 'string', pattern: '(a)\\1' })).toThrow(/not supported by the linear-time \(RE2\) engine/);
  });
});

describe('compileSchema reuses what it compiled', () => {
  it('equal schemas share one validator; another schema gets its own; a schema that does not compile throws every time', () => {
    const validate = compileSchema(SCHEMAS.input_schema);
    // An equal schema (another object, same JSON) is not compiled again: each compile costs a fresh ajv its meta-schema.
    expect(compileSchema(JSON.parse(JSON.stringify(SCHEMAS.input_schema)))).toBe(validate);
    expect(compileSchema(SCHEMAS.output_schema)).not.toBe(validate);
    for (let i = 0; i < 2; i++) expect(() => compileSchema({ type: 'object', minProperties: 'x' })).toThrow(/must be integer/);
  });

  it('a shared validator stopped at its deadline still answers right afterwards', () => {
    const schema = { type: 'array', uniqueItems: true, items: { type: 'object' } };
    const data = Array.from({ length: 200_000 }, (_, i) => ({ i }));
    expect(validateWithin(compileSchema(schema), data, 100)).toEqual({ status: 'timeout' });
    const again = compileSchema(structuredClone(schema));
    expect(validateWithin(again, [{ a: 1 }, { a: 2 }], 1_000)).toEqual({ status: 'valid' });
    expect(validateWithin(again, [{ a: 1 }, { a: 1 }], 1_000)).toMatchObject({ status: 'invalid', errors: [expect.objectContaining({ keyword: 'uniqueItems' })] });
  });

  it('keeps a bounded number: after many other schemas, the first is compiled afresh and still right', () => {
    const first = compileSchema({ type: 'object', properties: { n: { type: 'integer' } } });
    for (let i = 0; i < 40; i++) compileSchema({ type: 'object', properties: { [`p${i}`]: { type: 'string' } } });
    const fresh = compileSchema({ type: 'object', properties: { n: { type: 'integer' } } });
    expect(fresh).not.toBe(first);
    expect(fresh({ n: 1.5 })).toBe(false);
    expect(fresh({ n: 1 })).toBe(true);
  });
});

describe('toRe2Syntax', () => {
  it.each([
    ['\\u00e9', '\\x{00e9}'],
    ['\\u{1F600}', '\\x{1F600}'],
    ['\\\\u0041', '\\\\u0041'],
    ['^[a-z]+$', '^[a-z]+$'],
  ])('%s -> %s', (from, to) => {
    expect(toRe2Syntax(from)).toBe(to);
  });
});

describe('the dialect: JSON Schema 2020-12, what MCP clients assume for a schema without $schema', () => {
  it('enforces 2020-12 keywords (prefixItems, unevaluatedProperties, dependentRequired), in the cache-loaded validators too', async () => {
    const schemas = {
      input_schema: { type: 'object', properties: { pair: { type: 'array', prefixItems: [{ type: 'string' }, { type: 'integer' }], items: false, minItems: 2 } }, unevaluatedProperties: false, dependentRequired: { pair: ['label'] } },
      output_schema: { type: 'object' },
    };
    const { input } = await loadSpecValidators(schemas, null);
    expect(input({ pair: ['a', 1], label: 1 })).toBe(false); // label is unevaluated: not allowed
    expect(input({ pair: ['a', 'b'] })).toBe(false);
    expect(input({ pair: ['a', 1] })).toBe(false); // dependentRequired: label
    expect(compileSchema(schemas.input_schema)({ pair: ['a', 1, 2] })).toBe(false);
    expect(compileSchema({ type: 'object', properties: { pair: { type: 'array', prefixItems: [{ type: 'string' }], items: false, minItems: 1 } } })({ pair: ['a'] })).toBe(true);
  });

  it('refuses draft-07 forms that changed meaning: tuple `items` arrays and a draft-07 $schema', () => {
    expect(() => compileSchema({ type: 'array', items: [{ type: 'string' }], minItems: 1, additionalItems: false })).toThrow();
    expect(() => compileSchema({ $schema: 'http://json-schema.org/draft-07/schema#', type: 'object' })).toThrow(/draft-07/);
    expect(() => compileSchema({ $schema: 'https://json-schema.org/draft/2020-12/schema', type: 'object' })).not.toThrow();
  });
});

describe('several patterns in one schema', () => {
  it('each property is checked against its own pattern (compiled and cached validators)', async () => {
    const schema = { type: 'object', properties: { a: { type: 'string', pattern: '^a+$' }, b: { type: 'string', pattern: '^b+$' } } };
    for (const validate of [compileSchema(schema), (await loadSpecValidators({ input_schema: schema, output_schema: { type: 'object' } }, null)).input]) {
      expect(validate({ a: 'aa', b: 'bbb' })).toBe(true);
      expect(validate({ b: 'aaa' })).toBe(false);
      expect(validate({ a: 'bbb' })).toBe(false);
    }
  });
});
