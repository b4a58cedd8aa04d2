import { PassThrough } from 'node:stream';
import { stripVTControlCharacters } from 'node:util';
import { describe, expect, it } from 'vitest';
import { DEFAULT_SCHEMA_TEXT, runSpecWizard } from '../../src/cli/io/spec-wizard.js';
import { ToolSpec } from '../../src/models/index.js';

const ENTER = '\r';
const SPACE = ' ';
const DOWN = '\u001b[B';
/** Ctrl-U: readline deletes the line left of the cursor (the kept, rejected answer). */
const CLEAR_LINE = '\u0015';

/**
 * A fake terminal: the wizard writes to `output`, the test waits for a prompt to appear
 * there before typing into `input`, because keys typed while no prompt listens are lost.
 */
class FakeTerminal {
  readonly input = new PassThrough();
  readonly output = new PassThrough();
  private screen = '';
  private seen = 0;

  constructor() {
    this.output.on('data', (chunk: Buffer) => {
      this.screen += stripVTControlCharacters(chunk.toString('utf8'));
    });
  }

  /** Waits until `text` shows up after everything already consumed, then consumes it. */
  async waitFor(text: string, timeoutMs = 5000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const at = this.screen.indexOf(text, this.seen);
      if (at !== -1) {
        this.seen = at + text.length;
        return;
      }
      if (Date.now() > deadline) throw new Error(`timed out waiting for "${text}"; screen:\n${this.screen}`);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }

  /** Types keys one write at a time, yielding between them like a person would. */
  async type(...keys: string[]): Promise<void> {
    for (const key of keys) {
      this.input.write(key);
      await new Promise((resolve) => setImmediate(resolve));
    }
  }

  /** Everything shown after what waitFor consumed so far. */
  shown(): string {
    return this.screen.slice(this.seen);
  }

  async answer(prompt: string, ...keys: string[]): Promise<void> {
    await this.waitFor(prompt);
    await this.type(...keys);
  }
}

describe('runSpecWizard', () => {
  it('asks every question, re-asks a bad tool name and a bad schema, and returns a valid spec', async () => {
    const terminal = new FakeTerminal();
    const result = runSpecWizard({ context: { input: terminal.input, output: terminal.output } });

    await terminal.answer('Tool name', 'Bad-Name', ENTER);
    await terminal.waitFor('lowercase snake_case');
    await terminal.type(CLEAR_LINE, 'celsius_table', ENTER);
    await terminal.answer('Description', 'Converts Celsius to Fahrenheit.', ENTER);
    await terminal.answer('When should an agent use it?', 'When a temperature needs converting.', ENTER);
    await terminal.answer('What does it do?', 'Applies F = C * 9 / 5 + 32.', ENTER);
    await terminal.answer('What does it return?', 'The temperature in Fahrenheit.', ENTER);
    await terminal.answer('Prerequisites', ENTER); // accepts the default "None"
    await terminal.answer('Permissions', SPACE, DOWN, DOWN, SPACE, ENTER); // fs:read and net
    await terminal.answer('Input JSON Schema', '{"type": "object", "properties": {', ENTER);
    await terminal.waitFor('not valid JSON');
    await terminal.type(
      CLEAR_LINE,
      '{"type":"object","properties":{"celsius":{"type":"number","description":"degrees"}},"required":["celsius"]}',
      ENTER,
    );
    await terminal.answer('Output JSON Schema', ENTER); // accepts the default schema

    const spec = await result;
    expect(spec).toEqual({
      tool_name: 'celsius_table',
      description: 'Converts Celsius to Fahrenheit.',
      when_to_use: 'When a temperature needs converting.',
      what_it_does: 'Applies F = C * 9 / 5 + 32.',
      returns: 'The temperature in Fahrenheit.',
      prerequisites: 'None',
      permissions: ['fs:read', 'net'],
      input_schema: {
        type: 'object',
        properties: { celsius: { type: 'number', description: 'degrees' } },
        required: ['celsius'],
      },
      output_schema: JSON.parse(DEFAULT_SCHEMA_TEXT),
      parameters: [{ name: 'celsius', type: 'number', required: true, description: 'degrees' }],
    });
    expect(ToolSpec.safeParse(spec).success).toBe(true);
  });

  it('offers the name from the command line as the default and rejects a non-object schema', async () => {
    const terminal = new FakeTerminal();
    const result = runSpecWizard({ name: 'word_count', context: { input: terminal.input, output: terminal.output } });

    await terminal.answer('Tool name', ENTER);
    await terminal.answer('Description', ENTER); // empty: re-asked
    await terminal.waitFor('please enter some text');
    await terminal.type('Counts words.', ENTER);
    await terminal.answer('When should an agent use it?', 'To count words.', ENTER);
    await terminal.answer('What does it do?', 'Splits on whitespace.', ENTER);
    await terminal.answer('What does it return?', 'The count.', ENTER);
    await terminal.answer('Prerequisites', '  A text.  ', ENTER);
    await terminal.answer('Permissions', ENTER);
    await terminal.answer('Input JSON Schema', '{"type":"string"}', ENTER);
    await terminal.waitFor('input_schema.type must be "object" (got "string")');
    await terminal.type(CLEAR_LINE, ENTER); // back to the default
    await terminal.answer('Output JSON Schema', ENTER);

    const spec = ToolSpec.parse(await result);
    expect(spec).toMatchObject({ tool_name: 'word_count', description: 'Counts words.', prerequisites: 'A text.', permissions: [] });
    expect(spec.input_schema).toEqual(JSON.parse(DEFAULT_SCHEMA_TEXT));
  });

  it('checks a taken name as it is typed, before any other question', async () => {
    const terminal = new FakeTerminal();
    const taken = new Set(['word_count']);
    const result = runSpecWizard({
      context: { input: terminal.input, output: terminal.output },
      nameProblem: (name) => (taken.has(name) ? `staged/${name} already exists` : null),
    });
    await terminal.answer('Tool name', 'word_count', ENTER);
    await terminal.waitFor('staged/word_count already exists');
    expect(terminal.shown()).not.toContain('Description');
    await terminal.type(CLEAR_LINE, 'word_count_2', ENTER);
    await terminal.answer('Description', 'Counts words.', ENTER);
    await terminal.answer('When should an agent use it?', 'To count words.', ENTER);
    await terminal.answer('What does it do?', 'Splits on whitespace.', ENTER);
    await terminal.answer('What does it return?', 'The count.', ENTER);
    await terminal.answer('Prerequisites', ENTER);
    await terminal.answer('Permissions', ENTER);
    // A keyword value ajv's strict mode refuses (as `generate --spec` would): re-asked, naming the path.
    await terminal.answer('Input JSON Schema', '{"type":"object","properties":{"n":{"type":"integer","minimum":"zero"}}}', ENTER);
    await terminal.waitFor('input_schema.properties.n.minimum must be number (got "zero")');
    await terminal.type(CLEAR_LINE, '{"type":"object","properties":{"n":{"type":"integer","minimum":0}}}', ENTER);
    await terminal.answer('Output JSON Schema', ENTER);
    const spec = ToolSpec.parse(await result);
    expect(spec.tool_name).toBe('word_count_2');
    expect(spec.input_schema).toEqual({ type: 'object', properties: { n: { type: 'integer', minimum: 0 } } });
  });
});
