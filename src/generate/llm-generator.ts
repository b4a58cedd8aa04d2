import { createHash } from 'node:crypto';
import { generateSpecTypes } from '../json-schema/schema-types.js';
import type { ToolSpec } from '../models/index.js';
import type { Attempt, CodeGenerator } from './backend.js';
import type { ChatClient, ChatMessage, ChatParameters, ChatReply } from './chat-client.js';
import { extractCode, extractJson } from './extract-code.js';
import { renderImplementMessages, renderRepairMessage, renderSpecMessages, renderTestsMessages, type PromptTemplates } from './prompts.js';

export interface LlmGeneratorOptions {
  client: ChatClient;
  model: string;
  parameters: ChatParameters;
  templates: PromptTemplates;
  spec: ToolSpec;
}

/**
 * The LLM backend (SPEC 12): each sample is its own conversation (the implement prompt, then
 * for each repair round the previous reply and the feedback on it). created_by hashes the
 * rendered prompt with the model and parameters, so equal prompts give equal identities.
 */
export async function createLlmGenerator(options: LlmGeneratorOptions): Promise<CodeGenerator> {
  const { client, parameters } = options;
  // The prompt carries the TypeScript types the typecheck gate will check the code against.
  const first = renderImplementMessages(options.templates, options.spec, await generateSpecTypes(options.spec));
  const conversations = new Map<number, ChatMessage[]>();
  const ask = async (sample: number, round: number, messages: ChatMessage[]): Promise<Attempt> => {
    const reply = await client.complete(messages, parameters);
    messages.push({ role: 'assistant', content: reply.content });
    const request = round === 0 ? '(the rendered prompt: see ../prompt.md)\n' : `${messages[messages.length - 2]?.content ?? ''}\n`;
    return {
      extraction: extractCode(reply.content),
      usage: reply.usage,
      transcript: { [`sample-${sample}/round-${round}.request.md`]: request, [`sample-${sample}/round-${round}.reply.md`]: reply.content },
    };
  };
  return {
    backend: 'llm',
    createdBy: `llm:${options.model}#${hashPrompt(first, options.model, parameters)}`,
    generator: options.model,
    endpoint: client.endpoint,
    parameters: { model: options.model, temperature: parameters.temperature, max_tokens: parameters.max_tokens },
    supportsRepair: true,
    transcript: { 'prompt.md': renderTranscript(first) },
    implement(sample) {
      const messages = [...first];
      conversations.set(sample, messages);
      return ask(sample, 0, messages);
    },
    repair(sample, round, rounds, feedback) {
      const messages = conversations.get(sample) ?? [...first];
      conversations.set(sample, messages);
      messages.push(renderRepairMessage(options.templates, options.spec, feedback, round, rounds));
      return ask(sample, round, messages);
    },
  };
}

/** SHA-256 of the rendered prompt and the parameters (model, temperature, max_tokens), as canonical JSON. */
export function hashPrompt(messages: readonly ChatMessage[], model: string, parameters: ChatParameters): string {
  // Keys in a fixed order and plain values: JSON.stringify is canonical here.
  const canonical = JSON.stringify({ max_tokens: parameters.max_tokens, messages: messages.map((m) => ({ content: m.content, role: m.role })), model, temperature: parameters.temperature });
  return createHash('sha256').update(canonical).digest('hex');
}

/** A conversation as a reader sees it. */
export function renderTranscript(messages: readonly ChatMessage[]): string {
  return `${messages.map((m) => `## ${m.role}\n\n${m.content}\n`).join('\n')}`;
}

/** What a JSON request (tests, or a spec with tests) brought back. */
export interface JsonReply {
  value: unknown;
  /** Why there is no value; null when it parsed. */
  problem: string | null;
  reply: ChatReply;
  messages: ChatMessage[];
}

/** Asks the model for `count` test cases of a spec (validated by the caller). */
export async function requestTests(client: ChatClient, templates: PromptTemplates, spec: ToolSpec, parameters: ChatParameters, count: number): Promise<JsonReply> {
  return requestJson(client, renderTestsMessages(templates, spec, count), parameters);
}

/** Asks the model for a spec and its tests from a sentence (validated by the caller). */
export async function requestSpec(client: ChatClient, templates: PromptTemplates, sentence: string, parameters: ChatParameters, count: number): Promise<JsonReply> {
  return requestJson(client, renderSpecMessages(templates, sentence, count), parameters);
}

async function requestJson(client: ChatClient, messages: ChatMessage[], parameters: ChatParameters): Promise<JsonReply> {
  const reply = await client.complete(messages, parameters);
  const extracted = extractJson(reply.content);
  return 'value' in extracted ? { value: extracted.value, problem: null, reply, messages } : { value: null, problem: extracted.problem, reply, messages };
}
