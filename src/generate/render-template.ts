import { UserError } from '../models/errors.js';

/** Values a template can reference by name; `json` renders any JSON value. */
export type TemplateValues = Readonly<Record<string, unknown>>;

/**
 * How a value is written into its context. A filter gets the value and the leading
 * whitespace of the line the placeholder sits on, so multi-line values stay aligned.
 * - `raw` (the default): the text as is; continuation lines indented like the line.
 * - `json`: JSON (2-space indented), usable as a JSON value or a JS/TS string literal.
 * - `comment`: text inside a block comment: `*\/` is escaped so the value cannot close
 *   the comment, and continuation lines get the block's ` * ` prefix.
 */
const FILTERS = {
  raw: (value: unknown, indent: string) => indentContinuation(asText(value), indent),
  json: (value: unknown, indent: string) => indentContinuation(JSON.stringify(value, null, 2) ?? 'null', indent),
  comment: (value: unknown, indent: string) => commentText(asText(value), indent),
} satisfies Record<string, (value: unknown, indent: string) => string>;
type FilterName = keyof typeof FILTERS;

/** `{{ name }}` or `{{ name | filter }}`; anything else between braces is left alone. */
const PLACEHOLDER = /\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*(?:\|\s*([A-Za-z]+)\s*)?\}\}/g;

/**
 * Substitutes the placeholders of a template with escaped values.
 * @throws UserError naming the template when it uses an unknown placeholder or filter.
 */
export function renderTemplate(template: string, values: TemplateValues, templateLabel: string): string {
  return template.replace(PLACEHOLDER, (_match, name: string, filter: string | undefined, offset: number) => {
    if (!Object.hasOwn(values, name)) {
      throw new UserError(
        `template ${templateLabel} uses an unknown placeholder {{${name}}}`,
        `available placeholders: ${Object.keys(values).sort().join(', ')}`,
      );
    }
    const filterName = filter ?? 'raw';
    if (!isFilterName(filterName)) {
      throw new UserError(
        `template ${templateLabel} uses an unknown filter "${filterName}" in {{${name}|${filterName}}}`,
        `available filters: ${Object.keys(FILTERS).join(', ')}`,
      );
    }
    return FILTERS[filterName](values[name], lineIndent(template, offset));
  });
}

/** The placeholder names a template uses, in order of first use (for docs and checks). */
export function listPlaceholders(template: string): string[] {
  return [...new Set([...template.matchAll(PLACEHOLDER)].map((match) => match[1] ?? ''))];
}

function isFilterName(name: string): name is FilterName {
  return Object.hasOwn(FILTERS, name);
}

function asText(value: unknown): string {
  return typeof value === 'string' ? value : (JSON.stringify(value) ?? '');
}

function lineIndent(template: string, offset: number): string {
  const lineStart = template.lastIndexOf('\n', offset - 1) + 1;
  return /^[ \t]*/.exec(template.slice(lineStart, offset))?.[0] ?? '';
}

function indentContinuation(text: string, indent: string): string {
  return splitLines(text)
    .map((line, i) => (i === 0 || line === '' ? line : indent + line))
    .join('\n');
}

function commentText(text: string, indent: string): string {
  return splitLines(text.replaceAll('*/', '*\\/'))
    .map((line, i) => (i === 0 ? line : `${indent}* ${line}`.trimEnd()))
    .join('\n');
}

function splitLines(text: string): string[] {
  return text.split(/\r\n|\r|\n/);
}
