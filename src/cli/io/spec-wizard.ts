import { openSync } from 'node:fs';
import { PassThrough } from 'node:stream';
import { WriteStream } from 'node:tty';
import { checkbox, input } from '@inquirer/prompts';
import { deriveParameters, JsonSchemaObject, Permission, ToolId } from '../../models/index.js';
import type { ToolSpecInput } from '../../models/index.js';
import { checkToolSchema } from '../../validate/schema-gate.js';

/** Streams the prompts read and write; tests pass PassThroughs, the CLI passes nothing (the terminal). */
export interface SpecWizardContext {
  input?: NodeJS.ReadableStream;
  output?: NodeJS.WritableStream;
}

export interface SpecWizardOptions {
  /** A tool name given on the command line: offered as the default answer. */
  name?: string;
  /** Why a (well-formed) name cannot be used, e.g. already taken in staged/; null when it can. Asked as the name is typed. */
  nameProblem?: (name: string) => string | null;
  context?: SpecWizardContext;
}

/** The smallest useful schema: a tool takes and returns a JSON object. */
export const DEFAULT_SCHEMA_TEXT = '{"type":"object","properties":{},"required":[]}';

const PERMISSION_HELP: Record<Permission, string> = {
  'fs:read': 'read files outside its own package',
  'fs:write': 'write files',
  net: 'use the network',
  env: 'see environment variables',
};

/**
 * Asks for every field of a ToolSpec, re-asking until each answer is valid.
 * It never checks for a TTY: the command does, and fails with the missing flag instead.
 * @throws ExitPromptError (from @inquirer) when the user presses Ctrl-C.
 */
export async function runSpecWizard(options: SpecWizardOptions = {}): Promise<ToolSpecInput> {
  const context: SpecWizardContext = { ...options.context, output: options.context?.output ?? openTerminalOutput() };
  const nameProblem = options.nameProblem ?? (() => null);
  const tool_name = (
    await input(
      { message: 'Tool name (snake_case):', default: options.name, validate: (value) => validateToolName(value, nameProblem) },
      promptContext(context),
    )
  ).trim();
  const description = await askText('Description (one sentence):', context);
  const when_to_use = await askText('When should an agent use it?', context);
  const what_it_does = await askText('What does it do?', context);
  const returns = await askText('What does it return?', context);
  const prerequisites = await askText('Prerequisites:', context, 'None');
  const permissions = await checkbox(
    {
      message: 'Permissions it needs (space to toggle, enter to confirm):',
      choices: Permission.options.map((value) => ({ value, name: `${value}  ${PERMISSION_HELP[value]}` })),
    },
    promptContext(context),
  );
  const input_schema = await askSchema('Input JSON Schema (one line):', 'input_schema', context);
  const output_schema = await askSchema('Output JSON Schema (one line):', 'output_schema', context);
  return {
    tool_name,
    description,
    when_to_use,
    what_it_does,
    returns,
    prerequisites,
    permissions,
    input_schema,
    output_schema,
    parameters: deriveParameters(input_schema),
  };
}

async function askText(message: string, context: SpecWizardContext, defaultValue?: string): Promise<string> {
  const answer = await input({ message, default: defaultValue, validate: validateText }, promptContext(context));
  return answer.trim();
}

async function askSchema(message: string, root: string, context: SpecWizardContext): Promise<JsonSchemaObject> {
  const answer = await input(
    { message, default: DEFAULT_SCHEMA_TEXT, validate: (value) => validateSchemaText(value, root) },
    promptContext(context),
  );
  const parsed = parseSchemaText(answer, root);
  // Unreachable: the prompt only resolves with text validateSchemaText accepted.
  if (!parsed.ok) throw new Error(`spec wizard: accepted an invalid schema: ${parsed.error}`);
  return parsed.schema;
}

/**
 * Each @inquirer prompt ends the output stream it is given when it finishes (harmless for
 * process.stdout, which never closes). A caller's own stream must survive all prompts, so
 * every prompt writes into a fresh pass-through that forwards without ending it.
 */
function promptContext(context: SpecWizardContext): SpecWizardContext {
  const target = context.output;
  if (target === undefined) return { input: context.input };
  const output = new PassThrough();
  output.pipe(target, { end: false });
  // The prompt lays out its lines to the terminal's width: let it see the real one.
  for (const key of ['isTTY', 'columns', 'rows'] as const) {
    Object.defineProperty(output, key, { get: () => (target as Partial<WriteStream>)[key], enumerable: true }); // safe: reads a property of the real stream, which is a WriteStream
  }
  return { input: context.input, output };
}

/**
 * Where the prompts go: the terminal, never stdout (it may be a pipe carrying the result).
 * stderr when it is a terminal, else the controlling terminal itself, else stderr.
 */
function openTerminalOutput(): NodeJS.WritableStream {
  if (process.stderr.isTTY) return process.stderr;
  try {
    return new WriteStream(openSync('/dev/tty', 'w'));
  } catch {
    return process.stderr;
  }
}

/** Prompt validator: true, or the message shown under the prompt before re-asking. */
function validateToolName(value: string, nameProblem: (name: string) => string | null): true | string {
  const result = ToolId.safeParse(value.trim());
  if (!result.success) return `tool name: ${result.error.issues.map((issue) => issue.message).join('; ')}`;
  return nameProblem(result.data) ?? true;
}

function validateText(value: string): true | string {
  return value.trim() !== '' || 'please enter some text';
}

function validateSchemaText(value: string, root: string): true | string {
  const parsed = parseSchemaText(value, root);
  return parsed.ok || parsed.error;
}

/** One-line JSON -> a usable tool schema (root type "object", valid in ajv strict mode); `root` names it in errors. */
function parseSchemaText(text: string, root: string): { ok: true; schema: JsonSchemaObject } | { ok: false; error: string } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    return { ok: false, error: `not valid JSON: ${error instanceof Error ? error.message : String(error)}` };
  }
  const result = JsonSchemaObject.safeParse(parsed);
  if (!result.success) return { ok: false, error: 'a JSON Schema object with a "type" is required' };
  // The same check generate applies: root type "object", and ajv strict mode accepts it.
  const problems = checkToolSchema(result.data, root);
  if (problems.length > 0) return { ok: false, error: problems.join('; ') };
  return { ok: true, schema: result.data };
}
