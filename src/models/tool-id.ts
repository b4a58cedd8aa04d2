// Zod-free on purpose: every command checks ids, including the fast ones (run, list).

/** A tool id: the spec's `tool_name`. Lowercase snake_case, at most 64 characters. */
export const TOOL_ID_PATTERN = /^[a-z][a-z0-9_]*$/;
export const TOOL_ID_MAX_LENGTH = 64;

/** Why an id is not a valid tool id, or null when it is. */
export function toolIdProblem(id: string): string | null {
  if (id.length > TOOL_ID_MAX_LENGTH) return `at most ${TOOL_ID_MAX_LENGTH} characters (it has ${id.length})`;
  if (!TOOL_ID_PATTERN.test(id)) return 'lowercase snake_case: a letter, then letters, digits or _';
  return null;
}
