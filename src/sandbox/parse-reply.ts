import type { HarnessFile, HarnessReply } from './protocol.js';

/**
 * How deep a tool's result may nest. The reply is hostile data: a 300,000-deep value parses
 * (V8's JSON.parse is iterative) but then overflows the stack of every recursive consumer
 * (schema validation, deep comparison, printing), so the depth is checked before parsing.
 * 1,000 levels is far beyond any sensible tool result.
 */
export const MAX_RESULT_DEPTH = 1_000;
/** The reply wraps the value: {"ok":true,"value":...} and {"files":[{...}]}. */
const REPLY_FRAME_DEPTH = 3;
const MAX_OUTPUT_PATH = 1_024;
const FAILURE_KINDS = new Set(['execution', 'bad-result', 'output-limit']);

/** Whether a JSON text nests arrays/objects deeper than `limit`: one linear scan, strings skipped. */
export function jsonNestsDeeperThan(text: string, limit: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92) i++; // backslash: skip the escaped character
      else if (c === 34) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 91 || c === 123) {
      if (++depth > limit) return true;
    } else if (c === 93 || c === 125) depth--;
  }
  return false;
}

export type ParsedReply = { reply: HarnessReply } | { problem: string } | null;

/**
 * The reply between the two nonces: null when the harness never finished writing one, a
 * problem when what is there is not a well-formed reply (too deep, not JSON, wrong shape).
 */
export function parseReply(text: string, nonce: string): ParsedReply {
  const start = text.indexOf(nonce);
  const end = text.lastIndexOf(nonce);
  if (start === -1 || end <= start) return null;
  const body = text.slice(start + nonce.length, end);
  if (jsonNestsDeeperThan(body, MAX_RESULT_DEPTH + REPLY_FRAME_DEPTH)) {
    return { problem: `the tool's result nests deeper than ${MAX_RESULT_DEPTH} levels` };
  }
  let raw: unknown;
  try {
    raw = JSON.parse(body);
  } catch {
    return { problem: 'the reply from the sandbox is not valid JSON' };
  }
  return checkReply(raw);
}

function checkReply(raw: unknown): { reply: HarnessReply } | { problem: string } {
  const bad = { problem: 'the reply from the sandbox is malformed' };
  if (typeof raw !== 'object' || raw === null) return bad;
  const record = raw as Record<string, unknown>; // `as`: an object, checked field by field below
  const cpu = record['cpu_ms'];
  const usage = typeof cpu === 'number' && Number.isFinite(cpu) && cpu >= 0 ? { cpu_ms: cpu } : {};
  if (record['ok'] === true) {
    const files = record['files'] ?? [];
    if (!Array.isArray(files) || !files.every(isHarnessFile)) return { problem: 'the reply lists output files in a malformed way' };
    return { reply: { ok: true, value: record['value'], files, ...usage } };
  }
  const error = record['error'];
  if (record['ok'] !== false || typeof record['kind'] !== 'string' || !FAILURE_KINDS.has(record['kind'])) return bad;
  if (typeof error !== 'object' || error === null) return bad;
  const e = error as Record<string, unknown>; // `as`: checked below
  if (typeof e['name'] !== 'string' || typeof e['message'] !== 'string') return bad;
  const pick = (key: string): string | undefined => (typeof e[key] === 'string' ? (e[key] as string) : undefined); // safe: typeof checked it is a string
  return {
    reply: {
      ok: false,
      kind: record['kind'] as 'execution' | 'bad-result' | 'output-limit', // `as`: checked against FAILURE_KINDS
      error: { name: e['name'], message: e['message'], stack: pick('stack'), code: pick('code'), permission: pick('permission'), resource: pick('resource') },
      ...usage,
    },
  };
}

function isHarnessFile(value: unknown): value is HarnessFile {
  if (typeof value !== 'object' || value === null) return false;
  const file = value as Record<string, unknown>; // `as`: checked below
  return typeof file['path'] === 'string' && isSafeRelativePath(file['path']) && typeof file['base64'] === 'string';
}

/** A POSIX path inside a folder: relative, no `..`, `.` or empty segment, no NUL or backslash. */
export function isSafeRelativePath(rel: string): boolean {
  if (rel.length === 0 || rel.length > MAX_OUTPUT_PATH || rel.includes('\0') || rel.includes('\\')) return false;
  return rel.split('/').every((segment) => segment !== '' && segment !== '.' && segment !== '..');
}
