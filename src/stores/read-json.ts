import type { z } from 'zod';
import { UserError } from '../models/errors.js';
import { formatZodIssues } from '../models/format-issues.js';

/**
 * Parses JSON text, naming the file, line and column of a syntax error.
 * @throws UserError
 */
export function parseJsonText(text: string, file: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const position = /position (\d+)/.exec(message);
    let where = '';
    if (position?.[1] !== undefined) {
      const offset = Number(position[1]);
      const before = text.slice(0, offset);
      const line = before.split('\n').length;
      const column = offset - before.lastIndexOf('\n');
      where = `:${line}:${column}`;
    } else if (/Unexpected end of JSON input/.test(message)) {
      const lines = text.split('\n');
      where = `:${lines.length}:${(lines.at(-1)?.length ?? 0) + 1}`;
    } else {
      // V8 gives no position for "Unexpected token 'x', "..." is not valid JSON": find it.
      const offset = findJsonErrorOffset(text);
      if (offset >= 0) {
        const before = text.slice(0, offset);
        where = `:${before.split('\n').length}:${offset - before.lastIndexOf('\n')}`;
      }
    }
    const reason = message.replace(/ in JSON at position \d+.*$/, '').replace(/, (?:"|\.\.\.).* is not valid JSON$/s, '').replace(/^JSON\.parse: /, '');
    throw new UserError(`${file}${where}: invalid JSON: ${reason}`, 'fix the JSON syntax at that position');
  }
}

/**
 * The offset of the first syntax error in JSON text (a small recursive-descent checker,
 * used only on the error path), or -1 when it finds none.
 */
function findJsonErrorOffset(text: string): number {
  let i = 0;
  const literal = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null/y;
  const fail = (): never => {
    throw new JsonSyntaxAt(i);
  };
  const space = () => {
    while (i < text.length && ' \t\n\r'.includes(text[i] ?? '')) i++;
  };
  const string = () => {
    i++;
    while (i < text.length) {
      const c = text[i] ?? '';
      if (c === '"') return void i++;
      if (c < ' ') fail();
      i += c === '\\' ? 2 : 1;
    }
    fail();
  };
  const value = (): void => {
    space();
    const c = text[i];
    if (c === '{' || c === '[') {
      const close = c === '{' ? '}' : ']';
      i++;
      space();
      if (text[i] === close) return void i++;
      for (;;) {
        if (c === '{') {
          space();
          if (text[i] !== '"') fail();
          string();
          space();
          if (text[i] !== ':') fail();
          i++;
        }
        value();
        space();
        if (text[i] === close) return void i++;
        if (text[i] !== ',') fail();
        i++;
      }
    }
    if (c === '"') return string();
    literal.lastIndex = i;
    const match = literal.exec(text);
    if (!match) fail();
    i += match?.[0].length ?? 0;
  };
  try {
    value();
    space();
    return i < text.length ? i : -1;
  } catch (error) {
    if (error instanceof JsonSyntaxAt) return error.offset;
    return -1; // e.g. nesting too deep for the stack: no position then
  }
}

class JsonSyntaxAt {
  constructor(readonly offset: number) {}
}

/**
 * Parses the text of a JSON file and validates it against a zod schema.
 * @throws UserError naming the file and what is wrong
 */
export function parseJsonDocument<S extends z.ZodType>(text: string, file: string, schema: S, what: string): z.infer<S> {
  const parsed = schema.safeParse(parseJsonText(text, file));
  if (!parsed.success) {
    throw new UserError(`${file}: not a valid ${what}: ${formatZodIssues(parsed.error.issues)}`, 'fix the file at the key named (the README lists every field)');
  }
  return parsed.data;
}
