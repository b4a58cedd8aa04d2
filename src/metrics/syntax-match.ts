import type { SyntaxNode } from '../ast/code-analysis.js';
import { clippedOverlap, ratio, totalCount } from './multiset.js';

/** What the syntax components compare about one tree. */
export interface SyntaxProfile {
  /**
   * Every subtree rooted at an inner node (leaves are not subtrees of their own), as the
   * number a SubtreeKeys shared by the profiles compared gives its signature.
   */
  subtrees: Map<number, number>;
  /** Node kinds, leaves included: count per SyntaxKind number (holes are 0). */
  kinds: number[];
  /** Nodes per depth (the root is depth 1): count per depth (holes are 0). */
  depths: number[];
}

/** Pooled counts of the syntax components. */
export interface SyntaxCounts {
  matchedSubtrees: number;
  referenceSubtrees: number;
  candidateSubtrees: number;
  kindOverlap: { min: number; max: number };
  depthOverlap: { min: number; max: number };
}

interface TrieNode {
  id: number;
  next: Map<number, TrieNode> | undefined;
}

/**
 * Numbers subtree signatures: equal numbers for equal subtrees (same kind, same children's
 * signatures), across every profile built with the same SubtreeKeys. A trie over
 * (kind, child codes...), where a leaf child's code is its kind and an inner child's is
 * -(its number + 1), so no signature string is ever built.
 */
export class SubtreeKeys {
  private readonly roots = new Map<number, TrieNode>();
  private count = 0;

  /** The number of the subtree with this kind and these child codes. */
  key(kind: number, codes: readonly number[]): number {
    let node = this.step(this.roots, kind);
    for (let i = 0; i < codes.length; i++) node = this.step((node.next ??= new Map()), codes[i]!); // safe: i < length
    return node.id;
  }

  private step(map: Map<number, TrieNode>, code: number): TrieNode {
    let node = map.get(code);
    if (!node) map.set(code, (node = { id: this.count++, next: undefined }));
    return node;
  }
}

const bump = <K>(map: Map<K, number>, key: K) => map.set(key, (map.get(key) ?? 0) + 1);
const bumpAt = (counts: number[], index: number) => {
  counts[index] = (counts[index] ?? 0) + 1;
};

/**
 * The profile of a built tree, through the same fold CodeBLEU applies while extracting
 * (profileFolder). A subtree's signature is its kind and its children's signatures, leaves by
 * kind alone: the s-expression of the paper, text ignored, numbered by `keys`.
 */
export function syntaxProfile(tree: SyntaxNode, keys: SubtreeKeys): SyntaxProfile {
  const fold = profileFolder(keys);
  const walk = (node: SyntaxNode, depth: number): number => fold.fold(node.kind, depth, node.children.map((c) => walk(c, depth + 1)));
  walk(tree, 1);
  return fold.profile;
}

/**
 * A profile filled bottom-up by `fold(kind, depth, childCodes)`, which returns the node's
 * code (a leaf's kind, or -(subtree number + 1)): the callback of extractCodeTokensFolding.
 */
export function profileFolder(keys: SubtreeKeys): { profile: SyntaxProfile; fold: (kind: number, depth: number, codes: readonly number[]) => number } {
  const profile: SyntaxProfile = { subtrees: new Map(), kinds: [], depths: [] };
  const fold = (kind: number, depth: number, codes: readonly number[]): number => {
    bumpAt(profile.kinds, kind);
    bumpAt(profile.depths, depth);
    if (codes.length === 0) return kind;
    const id = keys.key(kind, codes);
    bump(profile.subtrees, id);
    return -(id + 1);
  };
  return { profile, fold };
}

/** Sums of min and max counts over the union of indices of two dense count arrays. */
function minMaxArraySums(a: readonly number[], b: readonly number[]): { min: number; max: number } {
  let min = 0;
  let max = 0;
  const n = Math.max(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a[i] ?? 0;
    const y = b[i] ?? 0;
    min += Math.min(x, y);
    max += Math.max(x, y);
  }
  return { min, max };
}

/** Counts the reference's subtrees found in the candidate (clipped, as the paper's Count_clip), and the kind and depth overlaps. */
export function countSyntaxMatches(reference: SyntaxProfile, candidate: SyntaxProfile): SyntaxCounts {
  return {
    matchedSubtrees: clippedOverlap(reference.subtrees, candidate.subtrees),
    referenceSubtrees: totalCount(reference.subtrees),
    candidateSubtrees: totalCount(candidate.subtrees),
    kindOverlap: minMaxArraySums(reference.kinds, candidate.kinds),
    depthOverlap: minMaxArraySums(reference.depths, candidate.depths),
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
