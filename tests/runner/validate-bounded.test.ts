// The runner's validation fast path: which schemas are validated without the vm watchdog (a
// table per keyword), and that everything else (and any large value) still gets the time bound.
import { describe, expect, it } from 'vitest';
import { isLinearSchema, validateBounded } from '../../src/runner/validate-bounded.js';
import { loadSpecValidators } from '../../src/json-schema/validator-cache.js';

const obj = (extra: Record<string, unknown>) => ({ type: 'object', ...extra });

describe('isLinearSchema', () => {
  it.each([
    ['type only', { type: 'object' }],
    ['closed properties with leaf keywords', obj({ properties: { a: { type: 'string', pattern: '^a+$', maxLength: 9 }, n: { type: 'integer', minimum: 0, multipleOf: 2 } }, required: ['a'], additionalProperties: false })],
    ['items and prefixItems', obj({ properties: { xs: { type: 'array', items: { type: 'number' }, minItems: 1 }, t: { type: 'array', prefixItems: [{ type: 'string' }], items: false } } })],
    ['enum, const and annotations', obj({ title: 'T', description: 'D', properties: { e: { enum: ['a', 'b'] }, c: { const: { x: 1 }, default: { x: 1 } } } })],
    ['additionalProperties as a schema', obj({ additionalProperties: { type: 'string' } })],
  ])('linear: %s', (_name, schema) => {
    expect(isLinearSchema(schema)).toBe(true);
  });

  it.each([
    ['anyOf', obj({ anyOf: [{ required: ['a'] }, { required: ['b'] }] })],
    ['oneOf below a property', obj({ properties: { a: { oneOf: [{ type: 'string' }, { type: 'number' }] } } })],
    ['$ref', obj({ $defs: { s: { type: 'string' } }, properties: { a: { $ref: '#/$defs/s' } } })],
    ['uniqueItems (quadratic)', obj({ properties: { xs: { type: 'array', uniqueItems: true } } })],
    ['format (backtracking regular expressions)', obj({ properties: { e: { type: 'string', format: 'email' } } })],
    ['patternProperties', obj({ patternProperties: { '^x': { type: 'string' } } })],
    ['contains', obj({ properties: { xs: { type: 'array', contains: { type: 'number' } } } })],
    ['if/then', obj({ if: { required: ['a'] }, then: { required: ['b'] } })],
    ['not', obj({ not: { required: ['a'] } })],
    ['an unknown keyword', obj({ 'x-custom': 1 })],
    ['a malformed properties value', obj({ properties: 5 })],
  ])('not linear: %s', (_name, schema) => {
    expect(isLinearSchema(schema)).toBe(false);
  });
});

describe('validateBounded', () => {
  const schemas = {
    input_schema: obj({ properties: { s: { type: 'string', maxLength: 3 } }, additionalProperties: false }),
    output_schema: obj({ properties: { a: { oneOf: [{ type: 'string' }, { type: 'number' }] } } }),
  };

  it('gives the same verdicts and errors on both paths', async () => {
    const validators = await loadSpecValidators(schemas, null);
    expect(validateBounded(validators.input, schemas.input_schema, { s: 'abc' }, 1000)).toEqual({ status: 'valid' });
    const invalid = validateBounded(validators.input, schemas.input_schema, { s: 'abcd', x: 1 }, 1000);
    expect(invalid.status).toBe('invalid');
    expect(invalid.status === 'invalid' && invalid.errors.map((e) => e.keyword).sort()).toEqual(['additionalProperties', 'maxLength']);
    expect(validateBounded(validators.output, schemas.output_schema, { a: 1 }, 1000)).toEqual({ status: 'valid' });
    expect(validateBounded(validators.output, schemas.output_schema, { a: true }, 1000).status).toBe('invalid');
  });

  it('a large value takes the watchdog even under a linear schema: a zero budget times it out', async () => {
    const validators = await loadSpecValidators({ input_schema: obj({ additionalProperties: { type: 'string' } }), output_schema: { type: 'object' } }, null);
    const schema = obj({ additionalProperties: { type: 'string' } });
    const small = { a: 'x' };
    const large = Object.fromEntries(Array.from({ length: 200_000 }, (_, i) => [`k${i}`, 'value']));
    // The small value is validated directly...
    expect(validateBounded(validators.input, schema, small, 0)).toEqual({ status: 'valid' });
    // ...the watchdog for the large one: 1 ms is far too short for 200,000 properties.
    expect(validateBounded(validators.input, schema, large, 1).status).toBe('timeout');
  });
});
