import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { AuditRecord } from '../models/index.js';
import type { AuditAction } from '../models/index.js';
import { sha256 } from './hash.js';

/** `prev` of the first line: there is no previous line. */
export const AUDIT_GENESIS = '0'.repeat(64);

export function auditFile(registryDir: string): string {
  return path.join(registryDir, 'audit.jsonl');
}

export interface AuditEntryInput {
  action: AuditAction;
  tool_id: string;
  version: string;
  actor: string;
  code_hash: string;
  spec_hash: string;
}

async function readAuditText(registryDir: string): Promise<string> {
  try {
    return await readFile(auditFile(registryDir), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return '';
    throw error;
  }
}

/** Builds the next audit line, chained to the previous line by its SHA-256. */
export function createAuditLine(previousLine: string | undefined, entry: AuditEntryInput, now: Date): string {
  const record: AuditRecord = {
    ts: now.toISOString(),
    action: entry.action,
    tool_id: entry.tool_id,
    version: entry.version,
    actor: entry.actor,
    code_hash: entry.code_hash,
    spec_hash: entry.spec_hash,
    prev: previousLine === undefined ? AUDIT_GENESIS : sha256(previousLine),
  };
  return JSON.stringify(record);
}

export interface AuditProblem {
  line: number;
  message: string;
}

export interface AuditChain {
  records: AuditRecord[];
  problems: AuditProblem[];
}

/** Reads and checks the chain: every line parses and its `prev` is the SHA-256 of the line before. */
export async function readAuditChain(registryDir: string): Promise<AuditChain> {
  const text = await readAuditText(registryDir);
  const problems: AuditProblem[] = [];
  const records: AuditRecord[] = [];
  if (text.length > 0 && !text.endsWith('\n')) problems.push({ line: text.split('\n').length, message: 'last line is incomplete' });
  const lines = text.split('\n').filter((l, i, all) => l.length > 0 || i < all.length - 1);
  let previous: string | undefined;
  lines.forEach((line, index) => {
    const lineNo = index + 1;
    let record: AuditRecord | undefined;
    try {
      const parsed = AuditRecord.safeParse(JSON.parse(line));
      if (parsed.success) record = parsed.data;
      else problems.push({ line: lineNo, message: 'not a valid audit record' });
    } catch {
      problems.push({ line: lineNo, message: 'not valid JSON' });
    }
    const expected = previous === undefined ? AUDIT_GENESIS : sha256(previous);
    if (record) {
      if (record.prev !== expected) {
        problems.push({
          line: lineNo,
          message: previous === undefined
            ? 'first line does not start the chain (a line before it was removed?)'
            : 'prev does not match the hash of the line before (edited, removed or reordered line)',
        });
      }
      records.push(record);
    }
    previous = line;
  });
  return { records, problems };
}

/** Hash of an audit line as stored in metadata.audit_head. */
export function hashAuditLine(line: string): string {
  return sha256(line);
}

/** The raw lines of audit.jsonl (without the trailing empty one). */
export async function readAuditLines(registryDir: string): Promise<string[]> {
  return (await readAuditText(registryDir)).split('\n').filter((l) => l.length > 0);
}
