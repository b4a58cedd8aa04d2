import { z } from 'zod';

/** Tokens a reply says it used (the Chat Completions `usage`; zeros when the server sends none). */
export const TokenUsage = z.strictObject({
  prompt_tokens: z.number().int().min(0),
  completion_tokens: z.number().int().min(0),
  total_tokens: z.number().int().min(0),
});
export type TokenUsage = z.infer<typeof TokenUsage>;

/** One generated implementation and what became of it (rounds: 0 = first attempt, then repairs). */
export const GeneratedSample = z.strictObject({
  /** 1-based, in the order the samples were requested. */
  sample: z.number().int().min(1),
  /** Where its final code is kept in the package: `index.ts` (the chosen one) or `samples/<n>.ts`; null when no usable code came back. */
  file: z.string().nullable(),
  /** Every gate passed on its final code (validated in the sandbox like any candidate). */
  passed: z.boolean(),
  /** The round whose code passed (0 = the first reply), null when none did. */
  passed_round: z.number().int().min(0).nullable(),
  /** Rounds asked for (1 + repairs). */
  rounds: z.number().int().min(1),
  tokens: TokenUsage,
  /** Why the final round failed (report errors, or why no code came back). */
  errors: z.array(z.string()),
});
export type GeneratedSample = z.infer<typeof GeneratedSample>;

/**
 * generation/generation.json: how a candidate was generated, for the reviewer (`show`). It
 * is outside code_hash like every file under generation/: it documents, it decides nothing.
 */
export const GenerationRecord = z.strictObject({
  backend: z.enum(['llm', 'command']),
  created_by: z.string().min(1),
  /** The model (llm) or the command line (command). */
  generator: z.string(),
  /** The endpoint without credentials or query (llm), null for a command. */
  endpoint: z.string().nullable(),
  parameters: z.record(z.string(), z.union([z.number(), z.string(), z.null()])),
  /** Where tests.json came from: a file given or beside the spec, or written by the generator (marked in its provenance). */
  tests_source: z.enum(['file', 'beside-spec', 'generated']),
  /** Whether the spec itself came from the model (`--from`). */
  spec_generated: z.boolean(),
  samples: z.array(GeneratedSample),
  /** The sample that became index.ts, null when none passed (index.ts is then the first sample with code). */
  chosen_sample: z.number().int().min(1).nullable(),
  tokens: TokenUsage,
  /** The files under generation/ (prompts and raw replies), sorted. */
  transcript: z.array(z.string()),
});
export type GenerationRecord = z.infer<typeof GenerationRecord>;
