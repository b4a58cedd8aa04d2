// Zod-free on purpose: `run` reads the chain on every call (the anchor check) and `list`
// folds it; stored files are validated with the generated ajv validators (models/stored.ts).
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { AuditRecord } from '../models/index.js';
import { formatStoredErrors, parseStored, storedErrors } from '../models/stored.js';
import { sha256 } from './hash.js';
import { errnoCode } from '../models/errno-code.js';

/** `prev` of the first line: there is no previous line. */
export const AUDIT_GENESIS = '0'.repeat(64);

export function auditFile(registryDir: string): string {
  return path.join(registryDir, 'audit.jsonl');
}

/** A record as a command builds it; `prev` is filled in when the line is appended. */
export type AuditEntryInput = AuditRecord extends infer R ? (R extends AuditRecord ? Omit<R, 'prev'> : never) : never;

export async function readAuditText(registryDir: string): Promise<string> {
  try {
    return await readFile(auditFile(registryDir), 'utf8');
  } catch (error) {
    if (errnoCode(error) === 'ENOENT') return '';
    throw error;
  }
}

/** Builds the next audit line, chained to the previous line by its SHA-256. */
export function createAuditLine(previousLine: string | undefined, entry: AuditEntryInput): string {
  const record = { ...entry, prev: previousLine === undefined ? AUDIT_GENESIS : sha256(previousLine) };
  return JSON.stringify(record);
}

export interface AuditProblem {
  line: number;
  message: string;
}

/** One parsed line: its 1-based number, its exact text's SHA-256 and the record. */
export interface AuditEntry {
  line: number;
  hash: string;
  record: AuditRecord;
}

export interface AuditChain {
  /** The lines that parsed, in order (a line that does not parse is only in `problems`). */
  entries: AuditEntry[];
  /** Records of `entries`, for callers that need no line numbers. */
  records: AuditRecord[];
  problems: AuditProblem[];
  /** How many lines the file has. */
  lineCount: number;
  /** SHA-256 of the last line, or undefined for an empty log. */
  head: string | undefined;
}

/**
 * Parses and checks audit.jsonl text: every line is a valid record and its `prev` is the
 * SHA-256 of the line before. Pure: the callers read the file.
 */
export function parseAuditChain(text: string): AuditChain {
  const problems: AuditProblem[] = [];
  const entries: AuditEntry[] = [];
  if (text.length > 0 && !text.endsWith('\n')) problems.push({ line: text.split('\n').length, message: 'last line is incomplete' });
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  let previousHash: string | undefined;
  lines.forEach((line, index) => {
    const lineNo = index + 1;
    const hash = sha256(line);
    let value: unknown;
    let parsedJson = true;
    try {
      value = JSON.parse(line);
    } catch {
      parsedJson = false;
      problems.push({ line: lineNo, message: 'not valid JSON' });
    }
    if (parsedJson) {
      const parsed = parseStored('AuditRecord', value);
      if (!parsed.ok) problems.push({ line: lineNo, message: `not a valid audit record: ${describeRecordProblem(value)}` });
      else {
        const expected = previousHash ?? AUDIT_GENESIS;
        if (parsed.value.prev !== expected) {
          problems.push({
            line: lineNo,
            message: previousHash === undefined
              ? 'first line does not start the chain (a line before it was removed?)'
              : 'prev does not match the hash of the line before (edited, removed or reordered line)',
          });
        }
        entries.push({ line: lineNo, hash, record: parsed.value });
      }
    }
    previousHash = hash;
  });
  return { entries, records: entries.map((e) => e.record), problems, lineCount: lines.length, head: previousHash };
}

/**
 * ajv reports every branch of the action union; keep the branch the line's own `action`
 * selects, so the message names what that kind of line lacks (`approve line: reviewer: is required`).
 */
function describeRecordProblem(value: unknown): string {
  const errors = storedErrors('AuditRecord', value);
  const branchOf = (e: { schemaPath: string }) => /^#\/oneOf\/(\d+)\//.exec(e.schemaPath)?.[1];
  const wrongAction = new Set(errors.filter((e) => e.schemaPath.endsWith('/properties/action/const')).map(branchOf));
  const own = errors.filter((e) => branchOf(e) !== undefined && !wrongAction.has(branchOf(e)));
  const action = typeof value === 'object' && value !== null ? (value as { action?: unknown }).action : undefined; // safe: a non-null object; action is typed unknown and checked before use
  if (own.length === 0) return typeof action === 'string' ? `unknown action "${action.slice(0, 40)}"` : 'no action';
  return `${String(action)} line: ${formatStoredErrors(own)}`;
}

/** Reads and checks the chain of a registry. */
export async function readAuditChain(registryDir: string): Promise<AuditChain> {
  return parseAuditChain(await readAuditText(registryDir));
}

/** Hash of an audit line as stored in metadata.audit_head. */
export function hashAuditLine(line: string): string {
  return sha256(line);
}
