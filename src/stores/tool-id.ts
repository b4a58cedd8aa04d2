import { UserError } from '../models/errors.js';
import { parseToolRef, toolIdProblem, type ToolRef } from '../models/tool-id.js';

/**
 * Checks a tool id before it is ever joined into a path: `../x`, `A-B`, `a b` and ids
 * over 64 characters are refused here, so no command can reach outside staged/ or registry/.
 * @throws UserError (exit 2)
 */
export function assertToolId(id: string): string {
  const problem = toolIdProblem(id);
  if (problem) throw new UserError(`invalid tool id "${id}": ${problem}`, 'tool ids look like csv_group_count');
  return id;
}

/**
 * Checks a `name` or `name@version` reference (the version is joined into a path too).
 * @throws UserError (exit 2)
 */
export function assertToolRef(ref: string): ToolRef {
  const parsed = parseToolRef(ref);
  if ('problem' in parsed) throw new UserError(parsed.problem, 'name a promoted tool as csv_group_count, or csv_group_count@1.0.0 for one version');
  return parsed;
}
