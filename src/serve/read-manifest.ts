// `toolsmith manifest`: what `serve` would offer, without the MCP SDK. `--format mcp` is the
// exact tools/list answer (the same catalog code builds both).
import type { MCPManifest } from '../models/index.js';
import { createRegistryResolver } from '../runner/index.js';
import { openWorkspace, type CommandOptions } from '../workspace/open-workspace.js';
import { createManifest, type McpToolDefinition } from './describe-tool.js';
import { readServedTools } from './read-served-tools.js';

export interface ManifestResult {
  manifest: MCPManifest;
  /** What tools/list answers: `{ tools: [...] }`. */
  toolsList: { tools: McpToolDefinition[] };
  /** Why a tool or pipeline is not served. */
  warnings: string[];
}

/** The protocol versions `serve` speaks (the SDK's legacy and modern eras). */
export const PROTOCOL_VERSIONS = ['2025-11-25', '2026-07-28'] as const;

/** Reads the served tools of a workspace and shapes both documents. @throws UserError outside a workspace */
export async function readManifest(options: CommandOptions & { version: string }): Promise<ManifestResult> {
  const { workspace } = await openWorkspace(options);
  const { tools, warnings } = await readServedTools(workspace, createRegistryResolver(workspace.registryDir));
  const server = { name: 'toolsmith', version: options.version, protocol_versions: PROTOCOL_VERSIONS.join(', '), transports: 'stdio, streamable-http', command: 'toolsmith serve' };
  return { manifest: createManifest(tools, server), toolsList: { tools: tools.map((t) => t.definition) }, warnings };
}
