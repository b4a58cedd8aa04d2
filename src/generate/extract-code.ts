/**
 * Taking the implementation out of a generator's reply. The reply is attacker-written: what
 * comes out is only ever a string that becomes the content of a file whose path toolsmith
 * chooses (index.ts, samples/<n>.ts); nothing in the reply can name a path.
 */

/** Larger code than this is refused (a tool is a function, not a library). */
export const MAX_CODE_BYTES = 256 * 1024;

export type Extraction = { code: string } | { problem: string };

const CODE_LANGUAGES = new Set(['ts', 'typescript', 'mts', 'tsx', 'js', 'javascript', 'mjs', 'jsx', '']);
/** A fence opening: three or more backticks or tildes, an optional info string. */
const FENCE_OPEN = /^ {0,3}(`{3,}|~{3,})[ \t]*([^\s`]*)[^\n`]*$/;
/** Where code starts in an unfenced reply with prose around it. */
const CODE_START = /^\s*(import\s|export\s|\/\*\*|\/\/|interface\s|type\s|function\s|async\s+function\s|const\s|let\s|'use strict'|"use strict")/;

/**
 * The TypeScript implementation in a reply: the fenced block (```ts ...```) holding
 * `export default` (else the first code block), else, unfenced, the lines from the first
 * that starts code to the last that ends it. Pure.
 */
export function extractCode(reply: string): Extraction {
  const text = reply.replace(/\r\n?/g, '\n');
  if (text.trim() === '') return { problem: 'the reply is empty' };
  const blocks = fencedBlocks(text);
  const code = blocks.length > 0 ? pickBlock(blocks) : unfencedCode(text);
  if (code === null || code.trim() === '') return { problem: 'the reply holds no code (expected a ```ts block with `export default`)' };
  if (!/\bexport\s+default\b/.test(code)) return { problem: 'the code in the reply has no `export default` (the tool function)' };
  if (Buffer.byteLength(code, 'utf8') > MAX_CODE_BYTES) return { problem: `the code in the reply is larger than ${MAX_CODE_BYTES / 1024} KB` };
  return { code: code.endsWith('\n') ? code : `${code}\n` };
}

interface Block {
  language: string;
  code: string;
}

/** Every fenced block, in order; an unclosed last fence (a reply cut at max_tokens) runs to the end. */
function fencedBlocks(text: string): Block[] {
  const lines = text.split('\n');
  const blocks: Block[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = FENCE_OPEN.exec(lines[i] ?? '');
    if (!open) continue;
    const marker = open[1] ?? '```';
    const closing = new RegExp(`^ {0,3}${marker[0] === '`' ? '`' : '~'}{${marker.length},}\\s*$`);
    const body: string[] = [];
    let j = i + 1;
    while (j < lines.length && !closing.test(lines[j] ?? '')) body.push(lines[j++] ?? '');
    blocks.push({ language: (open[2] ?? '').toLowerCase(), code: body.join('\n') });
    i = j;
  }
  return blocks;
}

function pickBlock(blocks: Block[]): string | null {
  const code = blocks.filter((b) => CODE_LANGUAGES.has(b.language));
  const withDefault = code.find((b) => /\bexport\s+default\b/.test(b.code));
  return (withDefault ?? code[0])?.code ?? null;
}

function unfencedCode(text: string): string | null {
  const lines = text.split('\n');
  const start = lines.findIndex((line) => CODE_START.test(line));
  if (start < 0) return null;
  let end = lines.length - 1;
  while (end > start && !/[};]\s*$/.test(lines[end] ?? '')) end--;
  return lines.slice(start, end + 1).join('\n');
}

/**
 * JSON in a reply (a spec or test cases): the first ```json block, else the first fenced
 * block, else the text from its first `{` or `[` to the matching last bracket. Pure.
 */
export function extractJson(reply: string): { value: unknown } | { problem: string } {
  const text = reply.replace(/\r\n?/g, '\n');
  const blocks = fencedBlocks(text);
  const candidates = [
    ...blocks.filter((b) => b.language === 'json').map((b) => b.code),
    ...blocks.filter((b) => b.language !== 'json').map((b) => b.code),
    jsonSpan(text),
  ].filter((c): c is string => c !== null && c.trim() !== '');
  let firstError = 'the reply holds no JSON';
  for (const candidate of candidates) {
    try {
      return { value: JSON.parse(candidate) };
    } catch (error) {
      if (firstError === 'the reply holds no JSON') firstError = `the JSON in the reply does not parse: ${error instanceof Error ? error.message : String(error)}`;
    }
  }
  return { problem: firstError };
}

function jsonSpan(text: string): string | null {
  const start = text.search(/[[{]/);
  if (start < 0) return null;
  const close = text[start] === '{' ? '}' : ']';
  const end = text.lastIndexOf(close);
  return end > start ? text.slice(start, end + 1) : null;
}
