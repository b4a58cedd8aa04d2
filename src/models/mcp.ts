import { z } from 'zod';

export const MCPTool = z.strictObject({
  name: z.string(),
  description: z.string(),
  inputSchema: z.record(z.string(), z.unknown()),
  outputSchema: z.record(z.string(), z.unknown()).optional(),
  annotations: z.record(z.string(), z.unknown()).optional(),
});
export type MCPTool = z.infer<typeof MCPTool>;

export const MCPManifest = z.strictObject({
  name: z.string(),
  version: z.string(),
  tools: z.array(MCPTool),
});
export type MCPManifest = z.infer<typeof MCPManifest>;
