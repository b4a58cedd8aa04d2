import { describe, expect, it } from 'vitest';
import { checkSchemaCompatibility, type CompatibilityVerdict } from '../../src/pipeline/schema-compatibility.js';

type Row = [name: string, output: unknown, input: unknown, verdict: CompatibilityVerdict, pointers?: { output?: string; input?: string }];

const obj = (properties: Record<string, unknown>, required: string[] = Object.keys(properties), extra: unknown = false): Record<string, unknown> => ({ type: 'object', properties, required, additionalProperties: extra });

/** One table per keyword family: each row is a producer's output_schema, a consumer's input_schema and the answer. */
const TABLES: Record<string, Row[]> = {
  'true, false and annotations': [
    ['anything into an unconstrained input', { type: 'string' }, {}, 'compatible'],
    ['anything into true', true, true, 'compatible'],
    ['an output that produces nothing', false, { type: 'string' }, 'compatible'],
    ['an input that accepts nothing', { type: 'string' }, false, 'incompatible'],
    ['annotations constrain nothing', { type: 'string' }, { title: 't', description: 'd', examples: ['x'] }, 'compatible'],
  ],
  type: [
    ['the same type', { type: 'string' }, { type: 'string' }, 'compatible'],
    ['a type that cannot match', { type: 'string' }, { type: 'number' }, 'incompatible', { output: '/type', input: '/type' }],
    ['integer into number', { type: 'integer' }, { type: 'number' }, 'compatible'],
    ['number into integer (1.5 is a number)', { type: 'number' }, { type: 'integer' }, 'incompatible', { input: '/type' }],
    ['a union partly rejected', { type: ['string', 'null'] }, { type: 'string' }, 'incompatible'],
    ['a union fully accepted', { type: ['string', 'null'] }, { type: ['null', 'string', 'number'] }, 'compatible'],
    ['no declared type into a typed input', {}, { type: 'string' }, 'incompatible'],
    ['a type mismatch stays certain beside a pattern', { type: 'string', pattern: '^a' }, { type: 'number' }, 'incompatible'],
  ],
  'enum and const': [
    ['enum inside enum', { enum: ['a', 'b'] }, { enum: ['a', 'b', 'c'] }, 'compatible'],
    ['an enum value the input cannot hold', { enum: ['a', 'z'] }, { enum: ['a', 'b'] }, 'incompatible', { output: '/enum', input: '/enum' }],
    ['const inside enum', { const: 3 }, { enum: [1, 2, 3] }, 'compatible'],
    ['const against const', { const: 'x' }, { const: 'y' }, 'incompatible', { input: '/const' }],
    ['an open string into an enum', { type: 'string' }, { type: 'string', enum: ['a'] }, 'incompatible'],
    ['boolean into [true, false]', { type: 'boolean' }, { enum: [true, false] }, 'compatible'],
    ['object values compared deeply, key order ignored', { const: { a: 1, b: 2 } }, { enum: [{ b: 2, a: 1 }] }, 'compatible'],
    ['enum values checked against the input type', { enum: [1, 'a'] }, { type: 'number' }, 'incompatible'],
  ],
  'numbers: minimum, maximum, exclusive bounds, multipleOf': [
    ['bounds inside', { type: 'number', minimum: 1, maximum: 5 }, { type: 'number', minimum: 0, maximum: 10 }, 'compatible'],
    ['no minimum against a minimum', { type: 'number' }, { type: 'number', minimum: 0 }, 'incompatible', { input: '/minimum' }],
    ['a looser maximum', { type: 'number', maximum: 11 }, { type: 'number', maximum: 10 }, 'incompatible', { output: '/maximum', input: '/maximum' }],
    ['exclusive 0 against inclusive 0', { type: 'number', exclusiveMinimum: 0 }, { type: 'number', minimum: 0 }, 'compatible'],
    ['inclusive 0 against exclusive 0', { type: 'number', minimum: 0 }, { type: 'number', exclusiveMinimum: 0 }, 'incompatible'],
    ['integers above 0 are at least 1', { type: 'integer', exclusiveMinimum: 0 }, { type: 'integer', minimum: 1 }, 'compatible'],
    ['draft-04 boolean exclusiveMaximum', { type: 'number', maximum: 10, exclusiveMaximum: true }, { type: 'number', exclusiveMaximum: 10 }, 'compatible'],
    ['enum values inside the bounds', { enum: [2, 4] }, { type: 'integer', minimum: 2, maximum: 4 }, 'compatible'],
    ['an enum value outside the bounds', { enum: [2, 5] }, { type: 'integer', maximum: 4 }, 'incompatible', { output: '/enum', input: '/maximum' }],
    ['multipleOf of a multiple', { type: 'integer', multipleOf: 4 }, { type: 'integer', multipleOf: 2 }, 'compatible'],
    ['integers are multiples of 1', { type: 'integer' }, { type: 'number', multipleOf: 1 }, 'compatible'],
    ['multipleOf not shown', { type: 'number' }, { type: 'number', multipleOf: 3 }, 'cannot-prove', { input: '/multipleOf' }],
  ],
  'strings: minLength, maxLength, pattern, format': [
    ['length bounds inside', { type: 'string', minLength: 2, maxLength: 3 }, { type: 'string', minLength: 1, maxLength: 5 }, 'compatible'],
    ['an empty string may come', { type: 'string' }, { type: 'string', minLength: 1 }, 'incompatible', { input: '/minLength' }],
    ['no maxLength against one', { type: 'string' }, { type: 'string', maxLength: 10 }, 'incompatible', { input: '/maxLength' }],
    ['enum lengths in characters, not bytes', { enum: ['été', 'ab'] }, { type: 'string', maxLength: 3 }, 'compatible'],
    ['a pattern is cannot-prove, never a pass', { type: 'string' }, { type: 'string', pattern: '^[a-z]+$' }, 'cannot-prove', { input: '/pattern' }],
    ['the same pattern on both sides', { type: 'string', pattern: '^[a-z]+$' }, { type: 'string', pattern: '^[a-z]+$' }, 'compatible'],
    ['a different pattern', { type: 'string', pattern: '^[a-c]+$' }, { type: 'string', pattern: '^[a-z]+$' }, 'cannot-prove', { output: '/pattern', input: '/pattern' }],
    ['a format is cannot-prove', { type: 'string' }, { type: 'string', format: 'email' }, 'cannot-prove'],
    ['the same format', { type: 'string', format: 'date' }, { type: 'string', format: 'date' }, 'compatible'],
    ['a bound beside an output pattern is only cannot-prove', { type: 'string', pattern: '^.+$' }, { type: 'string', minLength: 1 }, 'cannot-prove'],
  ],
  'arrays: items, minItems, maxItems, uniqueItems': [
    ['items compared recursively', { type: 'array', items: { type: 'integer' } }, { type: 'array', items: { type: 'number' } }, 'compatible'],
    ['an item type that cannot match', { type: 'array', items: { type: 'string' } }, { type: 'array', items: { type: 'number' } }, 'incompatible', { output: '/items/type', input: '/items/type' }],
    ['items without a schema', { type: 'array' }, { type: 'array', items: { type: 'string' } }, 'incompatible', { input: '/items/type' }],
    ['minItems not guaranteed', { type: 'array', items: {} }, { type: 'array', minItems: 1 }, 'incompatible', { input: '/minItems' }],
    ['maxItems inside', { type: 'array', maxItems: 3 }, { type: 'array', maxItems: 5 }, 'compatible'],
    ['duplicates may come', { type: 'array', items: { type: 'string' } }, { type: 'array', uniqueItems: true }, 'incompatible', { input: '/uniqueItems' }],
    ['unique on both sides', { type: 'array', uniqueItems: true }, { type: 'array', uniqueItems: true }, 'compatible'],
    ['tuple forms are cannot-prove', { type: 'array' }, { type: 'array', items: [{ type: 'string' }] }, 'cannot-prove'],
  ],
  'objects: required, properties, additionalProperties': [
    ['the same closed object', obj({ a: { type: 'string' } }), obj({ a: { type: 'string' } }), 'compatible'],
    ['a required property never produced', obj({ a: { type: 'string' } }), obj({ b: { type: 'string' } }), 'incompatible', { output: '/required', input: '/required' }],
    ['a required property the output may omit', obj({ a: { type: 'string' }, b: { type: 'string' } }, ['a']), obj({ a: { type: 'string' }, b: { type: 'string' } }, ['a', 'b'], true), 'incompatible', { output: '/properties/b', input: '/required' }],
    ['a closed input rejects a produced property', obj({ a: { type: 'string' }, extra: { type: 'number' } }), obj({ a: { type: 'string' } }), 'incompatible', { output: '/properties/extra', input: '/additionalProperties' }],
    ['a nested type mismatch names both pointers', obj({ a: obj({ n: { type: 'string' } }) }), obj({ a: obj({ n: { type: 'integer' } }) }), 'incompatible', { output: '/properties/a/properties/n/type', input: '/properties/a/properties/n/type' }],
    ['an open input takes extra properties', obj({ a: { type: 'string' }, extra: { type: 'number' } }), obj({ a: { type: 'string' } }, ['a'], true), 'compatible'],
    ['an open output may carry a constrained optional property', obj({ a: { type: 'string' } }, ['a'], true), obj({ a: { type: 'string' }, b: { type: 'number' } }, ['a'], true), 'cannot-prove', { input: '/properties/b' }],
    ['an open output into a closed input', obj({ a: { type: 'string' } }, ['a'], true), obj({ a: { type: 'string' } }), 'cannot-prove', { input: '/additionalProperties' }],
    ['additionalProperties schemas compared', obj({}, [], { type: 'integer' }), obj({}, [], { type: 'number' }), 'compatible'],
    ['a produced property checked against the input additionalProperties schema', obj({ a: { type: 'string' } }), obj({}, [], { type: 'number' }), 'incompatible', { output: '/properties/a/type', input: '/additionalProperties/type' }],
    ['minProperties met by required', obj({ a: {}, b: {} }), { type: 'object', minProperties: 2 }, 'compatible'],
    ['minProperties not shown', obj({ a: {} }, []), { type: 'object', minProperties: 1 }, 'cannot-prove'],
  ],
  'composition: allOf, anyOf, oneOf, not, if/then': [
    ['the input allOf: each member must hold', { type: 'integer', minimum: 0 }, { allOf: [{ type: 'number' }, { minimum: 0 }] }, 'compatible'],
    ['the input allOf: a member fails', { type: 'integer' }, { allOf: [{ type: 'number' }, { minimum: 0 }] }, 'incompatible', { input: '/allOf/1/minimum' }],
    ['the input anyOf: one branch takes it all', { type: 'string' }, { anyOf: [{ type: 'number' }, { type: 'string' }] }, 'compatible'],
    ['the input anyOf: no type fits', { type: 'string' }, { anyOf: [{ type: 'number' }, { type: 'boolean' }] }, 'incompatible', { input: '/anyOf' }],
    ['the input anyOf: a union split across branches', { type: ['string', 'number'] }, { anyOf: [{ type: 'number' }, { type: 'string' }] }, 'cannot-prove'],
    ['the input oneOf: exactly one fits, others disjoint', { type: 'string' }, { oneOf: [{ type: 'number' }, { type: 'string' }] }, 'compatible'],
    ['the input oneOf: two may fit', { type: 'string' }, { oneOf: [{ type: 'string' }, { type: 'string', minLength: 0 }] }, 'cannot-prove'],
    ['the output anyOf: every branch fits', { anyOf: [{ type: 'string' }, { type: 'null' }] }, { type: ['string', 'null'] }, 'compatible'],
    ['the output anyOf: a branch does not fit', { anyOf: [{ type: 'string' }, { type: 'null' }] }, { type: 'string' }, 'incompatible', { output: '/anyOf/1/type', input: '/type' }],
    ['the output oneOf: a failing branch is only cannot-prove', { oneOf: [{ type: 'string' }, { type: 'null' }] }, { type: 'string' }, 'cannot-prove'],
    ['the input not is cannot-prove', { type: 'string' }, { not: { const: '' } }, 'cannot-prove', { input: '/not' }],
    ['the input if/then is cannot-prove', { type: 'string' }, { if: { minLength: 1 }, then: { maxLength: 3 } }, 'cannot-prove'],
    ['an unknown keyword is cannot-prove', { type: 'string' }, { type: 'string', 'x-rule': 1 }, 'cannot-prove'],
    ['a failure under an output not is only cannot-prove', { type: 'string', not: { const: '' } }, { type: 'string', minLength: 1 }, 'cannot-prove'],
  ],
  '$ref': [
    ['local refs on both sides', { $defs: { s: { type: 'string' } }, $ref: '#/$defs/s' }, { definitions: { t: { type: 'string' } }, $ref: '#/definitions/t' }, 'compatible'],
    ['a ref into a mismatch', { type: 'object', properties: { a: { $ref: '#/$defs/n' } }, required: ['a'], additionalProperties: false, $defs: { n: { type: 'number' } } }, obj({ a: { type: 'string' } }), 'incompatible', { output: '/$defs/n/type', input: '/properties/a/type' }],
    ['a remote ref is cannot-prove', { type: 'string' }, { $ref: 'https://example.com/s.json' }, 'cannot-prove'],
    ['a dangling ref is cannot-prove', { $ref: '#/$defs/missing' }, { type: 'string' }, 'cannot-prove'],
    ['recursive schemas on both sides end', { $defs: { t: { type: 'object', properties: { kids: { type: 'array', items: { $ref: '#/$defs/t' } } }, required: ['kids'], additionalProperties: false } }, $ref: '#/$defs/t' }, { $defs: { t: { type: 'object', properties: { kids: { type: 'array', items: { $ref: '#/$defs/t' } } }, required: ['kids'], additionalProperties: false } }, $ref: '#/$defs/t' }, 'compatible'],
    ['a ref loop is cannot-prove', { $ref: '#/$defs/a', $defs: { a: { $ref: '#/$defs/b' }, b: { $ref: '#/$defs/a' } } }, { type: 'string' }, 'cannot-prove'],
  ],
};

describe('checkSchemaCompatibility', () => {
  for (const [family, rows] of Object.entries(TABLES)) {
    describe(family, () => {
      it.each(rows)('%s', (_name, output, input, verdict, pointers) => {
        const result = checkSchemaCompatibility(output, input);
        expect(result.verdict, JSON.stringify(result.findings)).toBe(verdict);
        if (verdict === 'compatible') expect(result.findings).toEqual([]);
        else expect(result.findings.length).toBeGreaterThan(0);
        const decisive = result.findings.filter((f) => f.verdict === verdict);
        if (pointers?.output !== undefined) expect(decisive.map((f) => f.output_pointer)).toContain(pointers.output);
        if (pointers?.input !== undefined) expect(decisive.map((f) => f.input_pointer)).toContain(pointers.input);
      });
    });
  }

  it('reports every incompatibility of a link, not only the first', () => {
    const output = obj({ a: { type: 'string' }, extra: { type: 'number' } });
    const input = obj({ a: { type: 'number' }, b: { type: 'string' } });
    const result = checkSchemaCompatibility(output, input);
    expect(result.findings.map((f) => f.input_pointer).sort()).toEqual(['/additionalProperties', '/properties/a/type', '/required']);
  });

  it('a schema nested 100,000 levels deep is cannot-prove, not a crash', () => {
    let deep: Record<string, unknown> = { type: 'string' };
    for (let i = 0; i < 100_000; i++) deep = { type: 'array', items: deep };
    const result = checkSchemaCompatibility(deep, deep);
    expect(result.verdict).toBe('cannot-prove');
    expect(result.findings[0]?.message).toMatch(/deeper than 64 levels/);
  });

  it('pointers escape ~ and / in property names (RFC 6901)', () => {
    const result = checkSchemaCompatibility(obj({ 'a/b~c': { type: 'string' } }), obj({ 'a/b~c': { type: 'number' } }));
    expect(result.findings[0]?.input_pointer).toBe('/properties/a~1b~0c/type');
  });
});
