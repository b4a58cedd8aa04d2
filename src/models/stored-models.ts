import { WorkspaceConfig } from './config.js';
import { RegistryMetadata, MetricsFile, AuditRecord } from './registry.js';
import { ToolCandidate } from './tool-candidate.js';

/** The models read on hot paths through generated validators (see stored.ts). */
export const STORED_MODELS = { WorkspaceConfig, RegistryMetadata, MetricsFile, ToolCandidate, AuditRecord } as const;
