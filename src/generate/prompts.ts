import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { UserError } from '../models/errors.js';
import type { ToolSpec } from '../models/index.js';
import type { ChatMessage } from './chat-client.js';
import { renderTemplate, type TemplateValues } from './render-template.js';
import { specTextValues } from './template-backend.js';

/** The prompt templates of templates/prompts/ (documented in templates/README.md). */
export interface PromptTemplates {
  system: string;
  implement: string;
  repair: string;
  tests: string;
  spec: string;
}

/** Reads the prompt templates from `<templatesDir>/prompts/`. @throws UserError naming a missing one */
export async function readPromptTemplates(templatesDir: string): Promise<PromptTemplates> {
  const dir = path.join(templatesDir, 'prompts');
  const read = (name: string) =>
    readFile(path.join(dir, `${name}.md`), 'utf8').catch(() => {
      throw new UserError(`prompt template ${path.join(dir, `${name}.md`)} is missing`, 'reinstall toolsmith, or restore templates/prompts/');
    });
  const [system, implement, repair, tests, spec] = await Promise.all([read('system'), read('implement'), read('repair'), read('tests'), read('spec')]);
  return { system, implement, repair, tests, spec };
}

/** The values the spec gives every prompt. */
function specValues(spec: ToolSpec): TemplateValues {
  return {
    ...specTextValues(spec),
    input_schema: spec.input_schema,
    output_schema: spec.output_schema,
  };
}

/** The first request for an implementation: the system rules and the spec with its generated types. */
export function renderImplementMessages(templates: PromptTemplates, spec: ToolSpec, types: string): ChatMessage[] {
  return [
    { role: 'system', content: renderTemplate(templates.system, {}, 'prompts/system.md').trim() },
    { role: 'user', content: renderTemplate(templates.implement, { ...specValues(spec), types: types.trimEnd() }, 'prompts/implement.md').trim() },
  ];
}

/** A repair request: the validation feedback on the previous reply. */
export function renderRepairMessage(templates: PromptTemplates, spec: ToolSpec, feedback: string, round: number, rounds: number): ChatMessage {
  return { role: 'user', content: renderTemplate(templates.repair, { tool_name: spec.tool_name, feedback, round, rounds }, 'prompts/repair.md').trim() };
}

/** A request for test cases of a spec. */
export function renderTestsMessages(templates: PromptTemplates, spec: ToolSpec, count: number): ChatMessage[] {
  return [
    { role: 'system', content: renderTemplate(templates.system, {}, 'prompts/system.md').trim() },
    { role: 'user', content: renderTemplate(templates.tests, { ...specValues(spec), count }, 'prompts/tests.md').trim() },
  ];
}

/** A request for a spec (and its tests) from a sentence. */
export function renderSpecMessages(templates: PromptTemplates, request: string, count: number): ChatMessage[] {
  return [
    { role: 'system', content: renderTemplate(templates.system, {}, 'prompts/system.md').trim() },
    { role: 'user', content: renderTemplate(templates.spec, { request, count }, 'prompts/spec.md').trim() },
  ];
}
