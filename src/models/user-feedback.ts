import { z } from 'zod';

export const UserFeedback = z.strictObject({
  decision: z.enum(['APPROVED', 'REJECTED']),
  reviewer: z.string().min(1),
  notes: z.string(),
  timestamp: z.string(),
  code_hash: z.string(),
  spec_hash: z.string(),
});
export type UserFeedback = z.infer<typeof UserFeedback>;
