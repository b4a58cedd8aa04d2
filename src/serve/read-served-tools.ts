// What `serve` offers and `manifest` prints: every promoted tool whose files pass their
// integrity check, then every saved pipeline whose steps all do, sorted by name. Each spec
// is read from the verified bytes the runner will run (ToolResolver), never from disk again.
import type { Permission } from '../models/index.js';
import { UserError } from '../models/errors.js';
import type { ResolvedTool, ToolResolver } from '../runner/index.js';
import { listSavedPipelines } from '../stores/pipeline-store.js';
import { readMetadata } from '../stores/registry-store.js';
import { describePipeline, describeTool, type ObjectSchema, type ServedTool, type SpecText } from './describe-tool.js';

export interface ServedToolList {
  tools: ServedTool[];
  /** Why a tool or pipeline is not offered (integrity, a missing step, a name taken): one line each. */
  warnings: string[];
}

/** The fields of a verified spec.json a client is shown. @throws UserError when they are not there */
function parseSpecText(tool: ResolvedTool): SpecText {
  const bytes = tool.specFile;
  const value: unknown = bytes === undefined ? null : JSON.parse(Buffer.from(bytes).toString('utf8'));
  const record = typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {}; // `as`: an object; fields checked below
  const text = (key: string): string => (typeof record[key] === 'string' ? record[key] : '');
  const permissions = Array.isArray(record['permissions']) ? record['permissions'].filter((p): p is Permission => typeof p === 'string') : [];
  if (text('what_it_does') === '' || text('when_to_use') === '') throw new UserError(`${tool.toolId}: its promoted spec.json has no what_it_does / when_to_use`, 'promote the tool again');
  return {
    tool_name: tool.toolId,
    description: text('description'),
    what_it_does: text('what_it_does'),
    when_to_use: text('when_to_use'),
    input_schema: objectSchema(tool, 'input_schema'),
    output_schema: objectSchema(tool, 'output_schema'),
    permissions,
  };
}

/** MCP describes a tool's input and output as objects; the runner too passes and returns only objects. @throws UserError */
function objectSchema(tool: ResolvedTool, key: 'input_schema' | 'output_schema'): ObjectSchema {
  const schema = tool.schemas[key] as Record<string, unknown>; // `as`: the resolver checked it is an object
  if (schema['type'] !== 'object') throw new UserError(`${tool.toolId}: its ${key} has type ${JSON.stringify(schema['type'])}; MCP needs "object"`, 'give the schema "type": "object" and promote a new version');
  return schema as ObjectSchema; // `as`: its type was checked just above
}

const byName = (a: ServedTool, b: ServedTool): number => (a.definition.name < b.definition.name ? -1 : a.definition.name > b.definition.name ? 1 : 0);

/** Reads what a workspace serves (deterministic: sorted by name). Never throws for one broken tool: it becomes a warning. */
export async function readServedTools(workspace: { root: string; registryDir: string }, resolver: ToolResolver): Promise<ServedToolList> {
  const warnings: string[] = [];
  const specs = new Map<string, SpecText | null>();
  const resolveSpec = async (ref: string): Promise<SpecText | null> => {
    if (!specs.has(ref)) {
      try {
        specs.set(ref, parseSpecText(await resolver.resolve(ref)));
      } catch (error) {
        if (!(error instanceof UserError) && !(error instanceof SyntaxError)) throw error;
        specs.set(ref, null);
        warnings.push(`not served: ${error.message}`);
      }
    }
    return specs.get(ref) ?? null;
  };
  const tools: ServedTool[] = [];
  const metadata = await readMetadata(workspace.registryDir);
  for (const id of Object.keys(metadata.tools).sort()) {
    const spec = await resolveSpec(id);
    if (spec !== null) tools.push(describeTool(spec));
  }
  const taken = new Set(Object.keys(metadata.tools));
  for (const saved of await listSavedPipelines(workspace.root)) {
    if (saved.definition === null) {
      warnings.push(`pipeline ${saved.name} not served: ${saved.problem ?? 'unreadable'}`);
      continue;
    }
    if (taken.has(saved.name)) {
      warnings.push(`pipeline ${saved.name} not served: a promoted tool has that name (rename pipelines/${saved.name}.json)`);
      continue;
    }
    const steps = saved.definition.tools;
    const resolved = await Promise.all(steps.map(resolveSpec));
    const known = resolved.filter((s): s is SpecText => s !== null);
    const first = known[0];
    const last = known[known.length - 1];
    if (known.length !== steps.length || first === undefined || last === undefined) {
      warnings.push(`pipeline ${saved.name} not served: a step cannot be run (see above)`);
      continue;
    }
    tools.push(describePipeline(saved.name, steps, first, last, known.flatMap((s) => s.permissions), saved.definition.description));
  }
  return { tools: tools.sort(byName), warnings };
}
