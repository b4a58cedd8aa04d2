import path from 'node:path';
import { ToolSpec } from '../models/index.js';
import { parseJsonDocument } from './read-json.js';
import { candidateDir } from './staged-store.js';
import { readRegularText } from './read-regular-file.js';

/**
 * Reads a candidate's spec.json (the source of truth for the spec) once, as a regular file
 * (never a FIFO), validated with zod.
 * @throws UserError naming the file and what is wrong
 */
export async function readCandidateSpec(stagedDir: string, toolId: string): Promise<{ spec: ToolSpec }> {
  const file = path.join(candidateDir(stagedDir, toolId), 'spec.json');
  return { spec: parseJsonDocument(await readRegularText(file), file, ToolSpec, 'tool spec') };
}
