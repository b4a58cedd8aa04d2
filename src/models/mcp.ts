import { z } from 'zod';

/**
 * One tool of the manifest (the MCPTool of the reference models): a promoted tool or a
 * saved pipeline as `serve` offers it. `inputs` and `outputs` name the top-level properties
 * of its input and output schemas; `invoke_endpoint` is the MCP request that calls it.
 */
export const MCPTool = z.strictObject({
  id: z.string(),
  title: z.string(),
  description: z.string(),
  inputs: z.array(z.string()),
  outputs: z.array(z.string()),
  invoke_endpoint: z.string(),
  permissions: z.array(z.string()),
});
export type MCPTool = z.infer<typeof MCPTool>;

/** What `toolsmith manifest` prints: the served tools, who serves them, and the manifest format's version. */
export const MCPManifest = z.strictObject({
  tools: z.array(MCPTool),
  server: z.record(z.string(), z.string()),
  version: z.string(),
});
export type MCPManifest = z.infer<typeof MCPManifest>;
