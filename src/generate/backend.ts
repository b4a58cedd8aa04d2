import type { ToolSpec } from '../models/index.js';

/**
 * What a generator produces for one candidate. `files` maps a path relative to the
 * candidate's folder to its content and always holds `index.ts` and `tests.json`; it may
 * hold `reference.ts` and `samples/<n>.ts` (n >= 2; index.ts is sample 1).
 */
export interface GeneratedPackage {
  files: Record<string, string>;
  /** The generator identity recorded as the candidate's `created_by`, e.g. `template:default`. */
  createdBy: string;
}

/** Everything a backend needs; resolved by the caller so backends do no workspace lookup. */
export interface GenerateRequest {
  spec: ToolSpec;
  /** How many implementations to produce (>= 1), for pass@k. */
  samples: number;
  /** The folder holding `<templateName>/` template folders. */
  templatesDir: string;
  templateName: string;
}

/** One way of turning a spec into a candidate package (template, LLM, external command). */
export interface GeneratorBackend {
  name: string;
  generate(request: GenerateRequest): Promise<GeneratedPackage>;
}
