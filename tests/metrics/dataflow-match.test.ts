import { describe, expect, it } from 'vitest';
import type { DataflowEdge, DataflowGraph } from '../../src/ast/code-analysis.js';
import { countDataflowMatches, dataflowProfile, dataflowScores } from '../../src/metrics/dataflow-match.js';

/** Edges from `#1<#0` (computedFrom) and `#0~1` (a use of #0 reached by its definition 1) notation. */
function graph(edges: string, flows: string): DataflowGraph {
  const parsed: DataflowEdge[] = edges.split(' ').filter(Boolean).map((e) => {
    const [target, source] = e.includes('<') ? e.split('<') : e.split('~');
    return e.includes('<') ? { kind: 'computedFrom', target: target!, source: source! } : { kind: 'comesFrom', target: target!, source: `${target}@${source}` };
  });
  return { edges: parsed, variables: flows.split(' ').filter(Boolean).map((events, i) => ({ name: `#${i}`, events })) };
}

const score = (ref: DataflowGraph, cand: DataflowGraph) => dataflowScores(countDataflowMatches(dataflowProfile(ref), dataflowProfile(cand)));

describe('dataflow match, hand-computed', () => {
  it.each([
    // edges: #1<#0 found; #0~1 found once (clipped: the candidate has it twice); #1~1 missing -> 2/3.
    // flows: ref {du, du}, cand {duu, d} -> nothing in common; dependencies {#1<#0} both -> 1.
    { name: 'partial', ref: graph('#1<#0 #0~1 #1~1', 'du du'), cand: graph('#1<#0 #0~1 #0~1', 'duu d'), match: 2 / 3, flow: 0, deps: 1 },
    // dependencies: ref {#1<#0, #2<#1}, cand {#1<#0, #2<#0}: 1 shared of 3 distinct.
    // flows: ref {d, dd, du}, cand {d, du, du}: min 1 + 0 + 1 = 2, max 1 + 1 + 2 = 4.
    { name: 'dependencies differ', ref: graph('#1<#0 #2<#1', 'd dd du'), cand: graph('#1<#0 #2<#0', 'd du du'), match: 1 / 2, flow: 2 / 4, deps: 1 / 3 },
    { name: 'identical', ref: graph('#1<#0 #0~1', 'du d'), cand: graph('#1<#0 #0~1', 'du d'), match: 1, flow: 1, deps: 1 },
    { name: 'both without data flow', ref: graph('', ''), cand: graph('', ''), match: 1, flow: 1, deps: 1 },
    { name: 'reference without data flow, candidate with', ref: graph('', ''), cand: graph('#1<#0', 'd d'), match: 0, flow: 0, deps: 0 },
  ])('$name', ({ ref, cand, match, flow, deps }) => {
    const s = score(ref, cand);
    expect(s.dataflow_match_score).toBeCloseTo(match, 12);
    expect(s.variable_flow_similarity).toBeCloseTo(flow, 12);
    expect(s.dependency_graph_similarity).toBeCloseTo(deps, 12);
  });
});
