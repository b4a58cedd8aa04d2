import { z } from 'zod';

export const Pipeline = z.strictObject({
  tools: z.array(z.string()).min(1),
  payload: z.record(z.string(), z.unknown()),
});
export type Pipeline = z.infer<typeof Pipeline>;

export const PipelineEvent = z.strictObject({
  type: z.enum(['progress', 'plugin_status', 'partial_result', 'warning', 'error']),
  payload: z.record(z.string(), z.unknown()),
  timestamp: z.string(),
});
export type PipelineEvent = z.infer<typeof PipelineEvent>;
