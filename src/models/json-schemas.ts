import { z } from 'zod';
import * as models from './index.js';

/** The models whose JSON Schemas are published in schemas/ (SPEC 3), by file name. */
const PUBLISHED: Record<string, z.ZodType> = {
  ToolStatus: models.ToolStatus,
  ToolSpec: models.ToolSpec,
  TestCase: models.TestCase,
  TestCases: models.TestCases,
  ErrorEnvelope: models.ErrorEnvelope,
  FunctionalCorrectnessMetrics: models.FunctionalCorrectnessMetrics,
  SemanticClosenessMetrics: models.SemanticClosenessMetrics,
  CodeMetrics: models.CodeMetrics,
  QualityTier: models.QualityTier,
  TaskComplexity: models.TaskComplexity,
  ValidationReport: models.ValidationReport,
  RunArtifacts: models.RunArtifacts,
  UserFeedback: models.UserFeedback,
  ToolCandidate: models.ToolCandidate,
  ToolRegistryEntry: models.ToolRegistryEntry,
  RegistryMetadata: models.RegistryMetadata,
  ExecutionMetrics: models.ExecutionMetrics,
  AuditRecord: models.AuditRecord,
  MCPTool: models.MCPTool,
  MCPManifest: models.MCPManifest,
  Pipeline: models.Pipeline,
  PipelineEvent: models.PipelineEvent,
  WorkspaceConfig: models.WorkspaceConfig,
  GenerationRecord: models.GenerationRecord,
};

/** Every published JSON Schema as file name -> file content (stable, with a trailing newline). */
export function createJsonSchemaFiles(): Record<string, string> {
  const files: Record<string, string> = {};
  for (const [name, schema] of Object.entries(PUBLISHED)) {
    // 'input' describes what a file may hold before defaults apply: what editors should complete.
    const json = z.toJSONSchema(schema, { io: 'input', target: 'draft-2020-12' });
    files[`${name}.json`] = `${JSON.stringify({ $id: `https://toolsmith.dev/schemas/${name}.json`, title: name, ...json }, null, 2)}\n`;
  }
  return files;
}
