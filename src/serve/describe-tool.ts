// How a promoted tool or a saved pipeline looks to an MCP client (tools/list) and in the
// manifest (`toolsmith manifest`): pure functions of the verified spec, so the two agree.
import type { MCPManifest, MCPTool, Permission } from '../models/index.js';

/** The MCP tool annotations toolsmith derives from a spec's permissions (hints to the client, never enforcement). */
export interface ToolAnnotations {
  readOnlyHint: boolean;
  destructiveHint?: false;
  openWorldHint: boolean;
}

/** A JSON Schema of an object: MCP requires `type: "object"` for both schemas of a tool. */
export type ObjectSchema = { [keyword: string]: unknown; type: 'object' };

/** One entry of `tools/list`, exactly as a client receives it. */
export interface McpToolDefinition {
  name: string;
  title: string;
  description: string;
  inputSchema: ObjectSchema;
  outputSchema: ObjectSchema;
  annotations: ToolAnnotations;
}

/** What `serve` offers under one name: a promoted tool (one step) or a saved pipeline (its steps). */
export interface ServedTool {
  kind: 'tool' | 'pipeline';
  definition: McpToolDefinition;
  /** The tool references the call runs, in order (one for a tool). */
  steps: string[];
  permissions: Permission[];
}

/** The parts of a verified spec.json that describe a tool to a client. */
export interface SpecText {
  tool_name: string;
  description: string;
  what_it_does: string;
  when_to_use: string;
  input_schema: ObjectSchema;
  output_schema: ObjectSchema;
  permissions: Permission[];
}

/**
 * Annotations from permissions: without `fs:write` a tool changes nothing outside its
 * sandbox (read-only, not destructive); with `net` it reaches the open world.
 */
export function createAnnotations(permissions: readonly Permission[]): ToolAnnotations {
  const writes = permissions.includes('fs:write');
  return { readOnlyHint: !writes, ...(writes ? {} : { destructiveHint: false as const }), openWorldHint: permissions.includes('net') };
}

/** `text_stats` -> `Text stats`: the human-readable name clients show. */
export function createTitle(name: string): string {
  const words = name.split('_').filter((word) => word !== '');
  const text = words.join(' ');
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** A promoted tool as a client sees it: description from what_it_does and when_to_use, both schemas as promoted. */
export function describeTool(spec: SpecText): ServedTool {
  return {
    kind: 'tool',
    steps: [spec.tool_name],
    permissions: [...spec.permissions],
    definition: {
      name: spec.tool_name,
      title: createTitle(spec.tool_name),
      description: `${spec.what_it_does}\n\nWhen to use: ${spec.when_to_use}`,
      inputSchema: spec.input_schema,
      outputSchema: spec.output_schema,
      annotations: createAnnotations(spec.permissions),
    },
  };
}

/**
 * A saved pipeline as a client sees it: the first step's input schema, the last step's
 * output schema, and the permissions of every step together.
 */
export function describePipeline(name: string, steps: readonly string[], first: SpecText, last: SpecText, permissions: readonly Permission[], description: string | undefined): ServedTool {
  const union = [...new Set(permissions)].sort();
  const chain = `Runs the pipeline ${steps.join(' -> ')}: each step's output is the next step's input.`;
  return {
    kind: 'pipeline',
    steps: [...steps],
    permissions: union,
    definition: {
      name,
      title: createTitle(name),
      description: description === undefined ? chain : `${description}\n\n${chain}`,
      inputSchema: first.input_schema,
      outputSchema: last.output_schema,
      annotations: createAnnotations(union),
    },
  };
}

/** The top-level property names of a schema, sorted (the manifest's `inputs` / `outputs`). */
function propertyNames(schema: ObjectSchema): string[] {
  const properties = schema['properties'];
  return typeof properties === 'object' && properties !== null && !Array.isArray(properties) ? Object.keys(properties).sort() : [];
}

/** The version of the manifest's format (bumped when its shape changes). */
export const MANIFEST_VERSION = '1';

/** The MCPManifest of what `serve` offers, in the order tools/list gives it. */
export function createManifest(tools: readonly ServedTool[], server: Record<string, string>): MCPManifest {
  const entries: MCPTool[] = tools.map(({ definition, permissions }) => ({
    id: definition.name,
    title: definition.title,
    description: definition.description,
    inputs: propertyNames(definition.inputSchema),
    outputs: propertyNames(definition.outputSchema),
    invoke_endpoint: `mcp:tools/call?name=${definition.name}`,
    permissions: [...permissions],
  }));
  return { tools: entries, server, version: MANIFEST_VERSION };
}
