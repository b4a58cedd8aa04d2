import { z } from 'zod';
import { ToolSpec } from './tool-spec.js';
import { ValidationReport } from './validation-report.js';
import { RunArtifacts } from './run-artifacts.js';
import { UserFeedback } from './user-feedback.js';
import { SEMVER_PATTERN } from './tool-id.js';

export const ToolStatus = z.enum(['DRAFT', 'STAGED', 'APPROVED', 'REJECTED', 'PROMOTED']);
export type ToolStatus = z.infer<typeof ToolStatus>;

export const ToolCandidate = z.strictObject({
  tool_id: z.string(),
  version: z.string().regex(SEMVER_PATTERN, { message: 'a semantic version such as 1.0.0' }),
  spec: ToolSpec,
  package_path: z.string(),
  code_hash: z.string(),
  spec_hash: z.string(),
  status: ToolStatus,
  validation_report: ValidationReport.nullable(),
  run_artifacts: RunArtifacts.nullable(),
  /** Every reviewer decision, oldest first; the last one is the one in force. */
  user_feedback: z.array(UserFeedback),
  created_at: z.string(),
  created_by: z.string().regex(/^(template:|llm:|command:|human:).+/, {
    message: 'template:<name>, llm:<model>#<sha256>, command:<sha256> or human:<name>',
  }),
  dependencies: z.array(z.string()),
});
export type ToolCandidate = z.infer<typeof ToolCandidate>;
