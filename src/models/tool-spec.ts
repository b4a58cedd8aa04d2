import { z } from 'zod';

import { TOOL_ID_MAX_LENGTH, TOOL_ID_PATTERN } from './tool-id.js';

export { TOOL_ID_MAX_LENGTH, TOOL_ID_PATTERN };

export const ToolId = z
  .string()
  .max(TOOL_ID_MAX_LENGTH, { message: `at most ${TOOL_ID_MAX_LENGTH} characters` })
  .regex(TOOL_ID_PATTERN, { message: 'lowercase snake_case: a letter, then letters, digits or _' });

export const Permission = z.enum(['fs:read', 'fs:write', 'net', 'env']);
export type Permission = z.infer<typeof Permission>;

/** A JSON Schema object with a `type`; its validity is checked with ajv at validation time. */
export const JsonSchemaObject = z.looseObject({
  type: z.union([z.string(), z.array(z.string())]),
});
export type JsonSchemaObject = z.infer<typeof JsonSchemaObject>;

export const ToolParameter = z.looseObject({
  name: z.string().min(1),
  type: z.string().min(1),
  description: z.string().optional(),
  required: z.boolean().optional(),
});
export type ToolParameter = z.infer<typeof ToolParameter>;

const Text = z.string().trim().min(1, { message: 'must be a non-empty string' });

export const ToolSpec = z.strictObject({
  tool_name: ToolId,
  description: Text,
  input_schema: JsonSchemaObject,
  output_schema: JsonSchemaObject,
  parameters: z.array(ToolParameter).default([]),
  return_type: z.string().default('object'),
  when_to_use: Text,
  what_it_does: Text,
  returns: Text,
  prerequisites: Text,
  permissions: z.array(Permission).default([]),
});
export type ToolSpec = z.infer<typeof ToolSpec>;
/** What a spec file may hold before defaults are applied. */
export type ToolSpecInput = z.input<typeof ToolSpec>;

/** The annotated parameter list derived from an input schema's properties. */
export function deriveParameters(inputSchema: JsonSchemaObject): ToolParameter[] {
  const properties = inputSchema['properties'];
  if (typeof properties !== 'object' || properties === null) return [];
  const required = Array.isArray(inputSchema['required']) ? (inputSchema['required'] as unknown[]) : []; // safe: Array.isArray checked it; elements stay unknown
  return Object.entries(properties as Record<string, Record<string, unknown>>).map(([name, prop]) => {
    const type = Array.isArray(prop['type']) ? prop['type'].join(' | ') : String(prop['type'] ?? 'any');
    const parameter: ToolParameter = { name, type, required: required.includes(name) };
    if (typeof prop['description'] === 'string') parameter.description = prop['description'];
    return parameter;
  });
}
