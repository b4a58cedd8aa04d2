import { readFile } from 'node:fs/promises';
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
    }
    const reason = message.replace(/ in JSON at position \d+.*$/, '').replace(/^JSON\.parse: /, '');
    throw new UserError(`${file}${where}: invalid JSON: ${reason}`, 'fix the JSON syntax at that position');
  }
}

/**
 * Reads a JSON file and validates it against a zod schema.
 * @throws UserError naming the file and what is wrong
 */
export async function readJsonFile<S extends z.ZodType>(file: string, schema: S, what: string): Promise<z.infer<S>> {
  const text = await readFile(file, 'utf8');
  const parsed = schema.safeParse(parseJsonText(text, file));
  if (!parsed.success) {
    throw new UserError(`${file}: not a valid ${what}: ${formatZodIssues(parsed.error.issues)}`);
  }
  return parsed.data;
}
