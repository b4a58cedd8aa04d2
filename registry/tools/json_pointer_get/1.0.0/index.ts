/** json_pointer_get: RFC 6901 JSON Pointer evaluation. */
export interface Input {
  document: unknown;
  pointer: string;
}
export interface Output {
  found: boolean;
  value?: unknown;
  missing_at?: string;
}

export default function jsonPointerGet(input: Input): Output {
  if (input.pointer === '') return { found: true, value: input.document };
  const tokens = input.pointer.slice(1).split('/').map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'));
  let current: unknown = input.document;
  let resolved = '';
  for (const [i, token] of tokens.entries()) {
    const raw = input.pointer.slice(1).split('/')[i] ?? '';
    if (Array.isArray(current) && /^(0|[1-9]\d*)$/.test(token) && Number(token) < current.length) {
      current = current[Number(token)];
    } else if (current !== null && typeof current === 'object' && !Array.isArray(current) && Object.prototype.hasOwnProperty.call(current, token)) {
      current = (current as Record<string, unknown>)[token];
    } else {
      return { found: false, missing_at: resolved };
    }
    resolved += `/${raw}`;
  }
  return { found: true, value: current };
}
