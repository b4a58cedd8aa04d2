import path from 'node:path';
import { ToolSpec } from '../models/index.js';
import { readJsonFile } from './read-json.js';
import { candidateDir } from './staged-store.js';
import { readRegularText } from './read-regular-file.js';

/** Reads a candidate's spec.json (the source of truth for the spec), validated with zod. */
export async function readCandidateSpec(stagedDir: string, toolId: string): Promise<{ spec: ToolSpec; raw: unknown }> {
  const file = path.join(candidateDir(stagedDir, toolId), 'spec.json');
  const raw: unknown = JSON.parse(await readRegularText(file));
  return { spec: await readJsonFile(file, ToolSpec, 'tool spec'), raw };
}
