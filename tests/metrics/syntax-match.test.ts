import { describe, expect, it } from 'vitest';
import type { SyntaxNode } from '../../src/ast/code-analysis.js';
import { countSyntaxMatches, SubtreeKeys, syntaxProfile, syntaxScores } from '../../src/metrics/syntax-match.js';

/** A tree from `1(2(3 4) 2(3 5))` notation (kinds are numbers). */
function tree(s: string): SyntaxNode {
  let i = 0;
  const node = (): SyntaxNode => {
    const m = /^\d+/.exec(s.slice(i))!;
    i += m[0].length;
    const children: SyntaxNode[] = [];
    if (s[i] === '(') {
      i++;
      while (s[i] !== ')') {
        if (s[i] === ' ') i++;
        else children.push(node());
      }
      i++;
    }
    return { kind: Number(m[0]), children };
  };
  return node();
}

// Both profiles share one SubtreeKeys, as CodeBLEU's do (the production fold, profileFolder).
const score = (ref: string, cand: string) => {
  const keys = new SubtreeKeys();
  return syntaxScores(countSyntaxMatches(syntaxProfile(tree(ref), keys), syntaxProfile(tree(cand), keys)));
};

// Subtrees are rooted at inner nodes; a reference subtree counts as found as often as the candidate has it (clipped).
describe('syntax match, hand-computed', () => {
  it.each([
    // ref subtrees: the root, 2(3 4), 2(3 5); candidate: its root, 2(3 4) twice -> 1 of 3.
    // kinds: ref {1,2,2,3,3,4,5}, cand {1,2,2,3,3,4,4}: min 6, max 8. depths equal.
    { ref: '1(2(3 4) 2(3 5))', cand: '1(2(3 4) 2(3 4))', match: 1 / 3, overlap: 6 / 8, depth: 1 },
    // clipped: ref has 2(3) twice, the candidate once -> 1 of 3 (the reference implementation would say 2 of 3).
    // kinds: ref {1,2,2,3,3}, cand {1,2,3}: 3/5; depths ref [1,2,2], cand [1,1,1]: 3/5.
    { ref: '1(2(3) 2(3))', cand: '1(2(3))', match: 1 / 3, overlap: 3 / 5, depth: 3 / 5 },
    { ref: '1(2(3) 4(5 6))', cand: '1(2(3) 4(5 6))', match: 1, overlap: 1, depth: 1 },
    // leaves are not subtrees: only the roots, which differ; kinds {1,2,3} vs {7,8,9}.
    { ref: '1(2 3)', cand: '7(8 9)', match: 0, overlap: 0, depth: 1 },
    // leaf kinds matter inside a subtree: 1(2) vs 1(3).
    { ref: '1(2)', cand: '1(3)', match: 0, overlap: 1 / 3, depth: 1 },
    // a lone root has no subtree on either side: they agree.
    { ref: '1', cand: '1', match: 1, overlap: 1, depth: 1 },
  ])('$ref vs $cand', ({ ref, cand, match, overlap, depth }) => {
    const s = score(ref, cand);
    expect(s.ast_match_score).toBeCloseTo(match, 12);
    expect(s.ast_node_overlap).toBeCloseTo(overlap, 12);
    expect(s.ast_depth_similarity).toBeCloseTo(depth, 12);
  });
});
