import { z } from 'zod';

export const RunArtifacts = z.strictObject({
  result: z.record(z.string(), z.unknown()),
  summary_markdown: z.string().nullable(),
  files: z.array(z.string()),
  artifacts: z.array(z.string()),
  execution_time_ms: z.number().min(0),
  metadata: z.looseObject({
    tool: z.string(),
    version: z.string(),
    code_hash: z.string(),
    warnings: z.array(z.string()),
    step_timings: z.record(z.string(), z.number()),
  }),
});
export type RunArtifacts = z.infer<typeof RunArtifacts>;
