import type { ToolStatus, QualityTier } from '../models/index.js';

export type LifecycleAction = 'validate' | 'stage' | 'approve' | 'reject' | 'promote';

/** The lifecycle (SPEC 1) as data: which statuses an action starts from and where it leads. */
export const TRANSITIONS: Readonly<Record<LifecycleAction, { from: readonly ToolStatus[]; to: ToolStatus }>> = {
  validate: { from: ['DRAFT', 'STAGED', 'APPROVED', 'REJECTED'], to: 'DRAFT' },
  stage: { from: ['DRAFT'], to: 'STAGED' },
  approve: { from: ['STAGED'], to: 'APPROVED' },
  reject: { from: ['STAGED'], to: 'REJECTED' },
  promote: { from: ['APPROVED'], to: 'PROMOTED' },
};

const TIER_RANK: Record<QualityTier, number> = { POOR: 0, ACCEPTABLE: 1, GOOD: 2, EXCELLENT: 3 };

/** Whether `tier` is at least `minimum`. */
export function meetsTier(tier: QualityTier, minimum: QualityTier): boolean {
  return TIER_RANK[tier] >= TIER_RANK[minimum];
}

/** Whether an action may start from a status. */
export function isAllowedFrom(action: LifecycleAction, status: ToolStatus): boolean {
  return TRANSITIONS[action].from.includes(status);
}
