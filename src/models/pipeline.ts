import { z } from 'zod';

/** A Pipeline file (`pipeline --file`, `pipelines/NAME.json`); without `payload`, the input comes from --input. */
export const Pipeline = z.strictObject({
  $schema: z.string().optional(),
  description: z.string().optional(),
  tools: z.array(z.string()).min(1).max(64),
  payload: z.record(z.string(), z.unknown()).optional(),
});
export type Pipeline = z.infer<typeof Pipeline>;

export const PipelineEvent = z.strictObject({
  // 'result': the one final line of a successful `pipeline --events` (a failure ends with 'error').
  type: z.enum(['progress', 'plugin_status', 'partial_result', 'warning', 'error', 'result']),
  payload: z.record(z.string(), z.unknown()),
  timestamp: z.string(),
});
export type PipelineEvent = z.infer<typeof PipelineEvent>;
