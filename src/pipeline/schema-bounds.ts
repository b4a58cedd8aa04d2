// Numeric bounds of a JSON Schema, as one shape for both drafts: draft-06+ writes
// `exclusiveMinimum: 5`, draft-04 writes `minimum: 5, exclusiveMinimum: true`.

export interface Bound {
  value: number;
  exclusive: boolean;
  /** The keyword the bound came from, for a JSON pointer. */
  keyword: string;
}

type Schema = Record<string, unknown>;

/**
 * The tightest lower bound a schema states. `values`: the numbers of a const/enum, whose
 * smallest is the bound. `integerOnly`: the bound moves to the first integer it allows.
 */
export function lowerBound(schema: Schema, integerOnly: boolean, values: number[] | null = null): Bound | null {
  if (values !== null && values.length > 0) return { value: Math.min(...values), exclusive: false, keyword: 'const' in schema ? 'const' : 'enum' };
  const bound = pick(schema, 'minimum', 'exclusiveMinimum', (a, b) => a.value > b.value || (a.value === b.value && a.exclusive));
  if (bound === null || !integerOnly) return bound;
  const first = bound.exclusive ? Math.floor(bound.value) + 1 : Math.ceil(bound.value);
  return { value: first, exclusive: false, keyword: bound.keyword };
}

/** The tightest upper bound a schema states (see lowerBound). */
export function upperBound(schema: Schema, integerOnly: boolean, values: number[] | null = null): Bound | null {
  if (values !== null && values.length > 0) return { value: Math.max(...values), exclusive: false, keyword: 'const' in schema ? 'const' : 'enum' };
  const bound = pick(schema, 'maximum', 'exclusiveMaximum', (a, b) => a.value < b.value || (a.value === b.value && a.exclusive));
  if (bound === null || !integerOnly) return bound;
  const last = bound.exclusive ? Math.ceil(bound.value) - 1 : Math.floor(bound.value);
  return { value: last, exclusive: false, keyword: bound.keyword };
}

function pick(schema: Schema, inclusiveKey: string, exclusiveKey: string, tighter: (a: Bound, b: Bound) => boolean): Bound | null {
  const inclusive = schema[inclusiveKey];
  const exclusive = schema[exclusiveKey];
  const found: Bound[] = [];
  if (typeof inclusive === 'number') found.push({ value: inclusive, exclusive: exclusive === true, keyword: inclusiveKey });
  if (typeof exclusive === 'number') found.push({ value: exclusive, exclusive: true, keyword: exclusiveKey });
  if (found.length === 0) return null;
  return found.reduce((best, b) => (tighter(b, best) ? b : best));
}
