import type { ToolSpec } from '../models/index.js';
import { generateSpecTypes } from '../json-schema/schema-types.js';
import { typecheckTool } from '../ast/typecheck.js';
import type { GateResult } from './gate-result.js';

/**
 * The typecheck gate (SPEC 7): index.ts's default export must map the spec's Input to its
 * Output. `index` is index.ts's text, null when the package has none.
 */
export async function checkTypecheckGate(index: string | null, spec: ToolSpec): Promise<GateResult> {
  if (index === null) return { ok: false, errors: ['index.ts: missing (the tool implementation)'], logs: [] };
  let types: string;
  try {
    types = await generateSpecTypes(spec);
  } catch (error) {
    // A schema ajv accepts may still defeat the type generator (a remote $ref): a failed gate, not a crash.
    return { ok: false, errors: [`spec.json: ${error instanceof Error ? error.message : String(error)}`], logs: [] };
  }
  const diagnostics = typecheckTool({ index, types });
  return { ok: diagnostics.length === 0, errors: diagnostics.map((d) => `${d.file}:${d.line}:${d.column} TS${d.code}: ${d.message}`), logs: [] };
}
