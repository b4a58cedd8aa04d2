import type { SyntaxNode } from '../ast/code-analysis.js';
import { clippedOverlap, minMaxSums, ratio, totalCount } from './multiset.js';

/** What the syntax components compare about one tree. */
export interface SyntaxProfile {
  /** Every subtree rooted at an inner node (leaves are not subtrees of their own), as a signature. */
  subtrees: Map<string, number>;
  /** Node kinds, leaves included. */
  kinds: Map<string, number>;
  /** Nodes per depth (the root is depth 1). */
  depths: Map<string, number>;
}

/** Pooled counts of the syntax components. */
export interface SyntaxCounts {
  matchedSubtrees: number;
  referenceSubtrees: number;
  candidateSubtrees: number;
  kindOverlap: { min: number; max: number };
  depthOverlap: { min: number; max: number };
}

/**
 * The profile of a tree. A subtree's signature is its kind and its children's signatures,
 * `kind(child child ...)`, leaves by kind alone: the s-expression of the paper, text ignored.
 */
export function syntaxProfile(tree: SyntaxNode): SyntaxProfile {
  const profile: SyntaxProfile = { subtrees: new Map(), kinds: new Map(), depths: new Map() };
  const bump = (map: Map<string, number>, key: string) => map.set(key, (map.get(key) ?? 0) + 1);
  const signature = (node: SyntaxNode, depth: number): string => {
    const kind = String(node.kind);
    bump(profile.kinds, kind);
    bump(profile.depths, String(depth));
    if (node.children.length === 0) return kind;
    let sig = `${kind}(`;
    for (let i = 0; i < node.children.length; i++) sig += (i === 0 ? '' : ' ') + signature(node.children[i]!, depth + 1); // safe: i < length
    sig += ')';
    bump(profile.subtrees, sig);
    return sig;
  };
  signature(tree, 1);
  return profile;
}

/** Counts the reference's subtrees found in the candidate (clipped, as the paper's Count_clip), and the kind and depth overlaps. */
export function countSyntaxMatches(reference: SyntaxProfile, candidate: SyntaxProfile): SyntaxCounts {
  return {
    matchedSubtrees: clippedOverlap(reference.subtrees, candidate.subtrees),
    referenceSubtrees: totalCount(reference.subtrees),
    candidateSubtrees: totalCount(candidate.subtrees),
    kindOverlap: minMaxSums(reference.kinds, candidate.kinds),
    depthOverlap: minMaxSums(reference.depths, candidate.depths),
  };
}

/** Adds pooled counts (corpus level). */
export function addSyntaxCounts(a: SyntaxCounts, b: SyntaxCounts): SyntaxCounts {
  return {
    matchedSubtrees: a.matchedSubtrees + b.matchedSubtrees,
    referenceSubtrees: a.referenceSubtrees + b.referenceSubtrees,
    candidateSubtrees: a.candidateSubtrees + b.candidateSubtrees,
    kindOverlap: { min: a.kindOverlap.min + b.kindOverlap.min, max: a.kindOverlap.max + b.kindOverlap.max },
    depthOverlap: { min: a.depthOverlap.min + b.depthOverlap.min, max: a.depthOverlap.max + b.depthOverlap.max },
  };
}

/** ast_match_score, ast_node_overlap and ast_depth_similarity from (pooled) counts. */
export function syntaxScores(counts: SyntaxCounts): { ast_match_score: number; ast_node_overlap: number; ast_depth_similarity: number } {
  return {
    ast_match_score: ratio(counts.matchedSubtrees, counts.referenceSubtrees, counts.candidateSubtrees === 0),
    ast_node_overlap: ratio(counts.kindOverlap.min, counts.kindOverlap.max, true),
    ast_depth_similarity: ratio(counts.depthOverlap.min, counts.depthOverlap.max, true),
  };
}
