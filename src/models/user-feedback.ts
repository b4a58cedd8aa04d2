import { z } from 'zod';

/**
 * One reviewer decision, as candidate.json caches it. The audit line it was built from is
 * the truth (src/lifecycle/candidate-state.ts rebuilds this list from the chain and refuses
 * a candidate.json whose list differs).
 */
export const UserFeedback = z.strictObject({
  decision: z.enum(['APPROVED', 'REJECTED']),
  /** Who decided (`--reviewer`), normalised (src/stores/identity.ts). */
  reviewer: z.string().min(1),
  /** Who ran the command (TOOLSMITH_ACTOR, else the OS user), normalised. */
  actor: z.string().min(1),
  notes: z.string(),
  timestamp: z.string(),
  code_hash: z.string(),
  spec_hash: z.string(),
  /** The armored SSH signature (`ssh-keygen -Y sign`, namespace toolsmith) of the review statement, when signed. */
  signature: z.string().optional(),
});
export type UserFeedback = z.infer<typeof UserFeedback>;
