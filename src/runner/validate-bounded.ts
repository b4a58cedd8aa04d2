/**
 * Time-bounded schema validation, without paying for the bound where it cannot matter.
 *
 * Inputs and outputs are hostile, so validation normally runs under vm's timeout
 * (`validateWithin`), which starts and joins a watchdog thread per call: about 0.1 ms on an
 * idle machine, several times that on a loaded one, and a warm batch validates twice per step
 * per input. For a schema in the small "linear" subset below and a value under
 * FAST_PATH_MAX_UNITS, the validator's work is bounded by construction, so it runs directly:
 * - every keyword allowed is checked in time linear in the value at its location (patterns run
 *   on the RE2 engine, linear in the string; `enum`/`const` compare at most the schema's own
 *   size), and no keyword makes a value be checked against more than ONE subschema (no
 *   combinators, no `$ref`, no `patternProperties`, no `contains`, no `if`), so the whole
 *   validation visits each part of the value at most once;
 * - keywords that break that are left out: `uniqueItems` (quadratic), `format` (ajv-formats'
 *   regular expressions are backtracking ones), and anything unknown.
 * Everything else, and any value over the cap, goes through the watchdog as before.
 */
import { validateWithin, type BoundedValidation, type StandaloneValidator } from '../json-schema/standalone-runtime.js';

/** Value size (nodes plus characters of keys and strings) up to which a linear schema is validated directly. */
const FAST_PATH_MAX_UNITS = 64 * 1024;
/** Schemas larger than this (in JSON characters) always take the watchdog. */
const MAX_SCHEMA_CHARS = 64 * 1024;
const MAX_SCHEMA_DEPTH = 64;

/** Checked in time linear in the value at their own location, against no subschema. */
const LEAF_KEYWORDS = new Set([
  'type', 'enum', 'const', 'required',
  'minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum', 'multipleOf',
  'minLength', 'maxLength', 'pattern',
  'minItems', 'maxItems', 'minProperties', 'maxProperties',
]);
/** Annotations: no effect on validation. */
const ANNOTATIONS = new Set(['$schema', '$id', '$comment', 'title', 'description', 'default', 'examples', 'deprecated', 'readOnly', 'writeOnly']);

const linearCache = new WeakMap<object, boolean>();

/** Whether a schema is in the linear subset (see above); cached per schema object. */
export function isLinearSchema(schema: object): boolean {
  let known = linearCache.get(schema);
  if (known === undefined) {
    known = JSON.stringify(schema).length <= MAX_SCHEMA_CHARS && linearNode(schema, 0);
    linearCache.set(schema, known);
  }
  return known;
}

function linearNode(schema: unknown, depth: number): boolean {
  if (typeof schema === 'boolean') return true;
  if (typeof schema !== 'object' || schema === null || Array.isArray(schema) || depth > MAX_SCHEMA_DEPTH) return false;
  for (const [keyword, value] of Object.entries(schema)) {
    if (LEAF_KEYWORDS.has(keyword) || ANNOTATIONS.has(keyword)) continue;
    if (keyword === 'properties') {
      if (typeof value !== 'object' || value === null || !Object.values(value).every((child) => linearNode(child, depth + 1))) return false;
    } else if (keyword === 'additionalProperties' || keyword === 'items') {
      if (!linearNode(value, depth + 1)) return false;
    } else if (keyword === 'prefixItems') {
      if (!Array.isArray(value) || !value.every((child) => linearNode(child, depth + 1))) return false;
    } else return false;
  }
  return true;
}

/** Whether a value's size (nodes, plus characters of keys and strings) is at most `limit`; stops as soon as it is over. */
function sizeAtMost(value: unknown, limit: number): boolean {
  let units = 0;
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const item = stack.pop();
    units++;
    if (typeof item === 'string') units += item.length;
    else if (typeof item === 'object' && item !== null) {
      for (const [key, child] of Object.entries(item)) {
        units += key.length;
        stack.push(child);
      }
    }
    if (units > limit) return false;
  }
  return true;
}

/** Validates `data`, within `timeoutMs` (the watchdog), or directly where the work is bounded by construction. */
export function validateBounded(validate: StandaloneValidator, schema: object, data: unknown, timeoutMs: number): BoundedValidation {
  if (isLinearSchema(schema) && sizeAtMost(data, FAST_PATH_MAX_UNITS)) {
    return validate(data) ? { status: 'valid' } : { status: 'invalid', errors: validate.errors ?? [] };
  }
  return validateWithin(validate, data, timeoutMs);
}
