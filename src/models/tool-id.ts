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

/** A reference to a promoted tool: `name`, or `name@version` to pin one version. */
export interface ToolRef {
  toolId: string;
  /** null: the version metadata.json names as current. */
  version: string | null;
}

/** A semantic version (a version is joined into a path, so nothing else gets through). */
export const SEMVER_PATTERN = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$/;

/** Splits `name[@version]`; returns why it is not a valid reference instead when it is not. */
export function parseToolRef(ref: string): ToolRef | { problem: string } {
  const at = ref.indexOf('@');
  const toolId = at === -1 ? ref : ref.slice(0, at);
  const idProblem = toolIdProblem(toolId);
  if (idProblem) return { problem: `invalid tool id "${toolId}": ${idProblem}` };
  if (at === -1) return { toolId, version: null };
  const version = ref.slice(at + 1);
  if (!SEMVER_PATTERN.test(version)) return { problem: `invalid version "${version}" in "${ref}": a semantic version such as 1.0.0` };
  return { toolId, version };
}
