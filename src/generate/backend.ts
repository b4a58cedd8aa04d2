import type { ToolSpec } from '../models/index.js';
import type { TokenUsage } from '../models/generation.js';
import type { Extraction } from './extract-code.js';

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

/** One way of turning a spec into a candidate package without a model (the template backend). */
export interface GeneratorBackend {
  name: string;
  generate(request: GenerateRequest): Promise<GeneratedPackage>;
}

/** One reply of a code generator: the code taken out of it (or why none), and what to keep for the reviewer. */
export interface Attempt {
  extraction: Extraction;
  usage: TokenUsage;
  /** Files for the candidate's generation/ folder (relative to it): the request and the raw reply. */
  transcript: Record<string, string>;
}

/**
 * A generator of implementations that may differ per call (a model, an external program):
 * the samples/repair loop (lifecycle/generate-samples.ts) asks it for each sample and round.
 */
export interface CodeGenerator {
  backend: 'llm' | 'command';
  /** The candidate's created_by: `llm:<model>#<sha256>` or `command:<sha256>`. */
  createdBy: string;
  /** The model, or the command line. */
  generator: string;
  /** The endpoint (credentials stripped), null for a command. */
  endpoint: string | null;
  parameters: Record<string, number | string | null>;
  /** Whether repair() can use feedback. */
  supportsRepair: boolean;
  /** Files for generation/ that every sample shares (the rendered prompt). */
  transcript: Record<string, string>;
  /** The first attempt of sample `sample` (1-based). */
  implement(sample: number): Promise<Attempt>;
  /** Another attempt of `sample` given the feedback on its previous one (round >= 1). */
  repair(sample: number, round: number, rounds: number, feedback: string): Promise<Attempt>;
}

/** No tokens (a command, or a reply without `usage`). */
export const NO_TOKENS: TokenUsage = { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 };

/** Token counts added up. */
export function addTokens(a: TokenUsage, b: TokenUsage): TokenUsage {
  return { prompt_tokens: a.prompt_tokens + b.prompt_tokens, completion_tokens: a.completion_tokens + b.completion_tokens, total_tokens: a.total_tokens + b.total_tokens };
}
