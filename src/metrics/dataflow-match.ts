import type { DataflowGraph } from '../ast/code-analysis.js';
import { clippedOverlap, countItems, minMaxSums, ratio, totalCount } from './multiset.js';

/** What the data-flow components compare about one program. */
export interface DataflowProfile {
  /** Every edge (both kinds), as `kind target<-source` over canonical names. */
  edges: Map<string, number>;
  /** Each local variable's def/use pattern (`ddu`, ...). */
  flows: Map<string, number>;
  /** The distinct `target<-source` dependencies between variables (computedFrom edges). */
  dependencies: Set<string>;
}

/** Pooled counts of the data-flow components. */
export interface DataflowCounts {
  matchedEdges: number;
  referenceEdges: number;
  candidateEdges: number;
  flowOverlap: { min: number; max: number };
  dependencyOverlap: { min: number; max: number };
}

/** The profile of a data-flow graph. */
export function dataflowProfile(graph: DataflowGraph): DataflowProfile {
  const edges = new Map<string, number>();
  const dependencies = new Set<string>();
  for (const e of graph.edges) {
    const dependency = `${e.target}<-${e.source}`;
    const key = `${e.kind} ${dependency}`;
    edges.set(key, (edges.get(key) ?? 0) + 1);
    if (e.kind === 'computedFrom') dependencies.add(dependency);
  }
  return { edges, flows: countItems(graph.variables.map((v) => v.events)), dependencies };
}

/** Counts the reference's edges found in the candidate (clipped), and the flow-pattern and dependency overlaps. */
export function countDataflowMatches(reference: DataflowProfile, candidate: DataflowProfile): DataflowCounts {
  let shared = 0;
  for (const d of reference.dependencies) if (candidate.dependencies.has(d)) shared++;
  return {
    matchedEdges: clippedOverlap(reference.edges, candidate.edges),
    referenceEdges: totalCount(reference.edges),
    candidateEdges: totalCount(candidate.edges),
    flowOverlap: minMaxSums(reference.flows, candidate.flows),
    dependencyOverlap: { min: shared, max: reference.dependencies.size + candidate.dependencies.size - shared },
  };
}

/** Adds pooled counts (corpus level). */
export function addDataflowCounts(a: DataflowCounts, b: DataflowCounts): DataflowCounts {
  return {
    matchedEdges: a.matchedEdges + b.matchedEdges,
    referenceEdges: a.referenceEdges + b.referenceEdges,
    candidateEdges: a.candidateEdges + b.candidateEdges,
    flowOverlap: { min: a.flowOverlap.min + b.flowOverlap.min, max: a.flowOverlap.max + b.flowOverlap.max },
    dependencyOverlap: { min: a.dependencyOverlap.min + b.dependencyOverlap.min, max: a.dependencyOverlap.max + b.dependencyOverlap.max },
  };
}

/** dataflow_match_score, variable_flow_similarity and dependency_graph_similarity from (pooled) counts. */
export function dataflowScores(counts: DataflowCounts): { dataflow_match_score: number; variable_flow_similarity: number; dependency_graph_similarity: number } {
  return {
    dataflow_match_score: ratio(counts.matchedEdges, counts.referenceEdges, counts.candidateEdges === 0),
    variable_flow_similarity: ratio(counts.flowOverlap.min, counts.flowOverlap.max, true),
    dependency_graph_similarity: ratio(counts.dependencyOverlap.min, counts.dependencyOverlap.max, true),
  };
}
