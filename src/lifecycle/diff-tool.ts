import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { NotFoundError } from '../models/errors.js';
import { candidateDir, readCandidate } from '../stores/staged-store.js';
import { listFiles, BUILD_DIR } from '../stores/hash.js';
import { readEntry, versionDir } from '../stores/registry-store.js';
import { openWorkspace } from '../workspace/open-workspace.js';
import type { ShowOptions } from './show-tool.js';

export interface DiffResult {
  tool_id: string;
  from: string;
  to: string;
  changed: boolean;
  /** One unified diff per file that differs (added and removed files included). */
  files: Array<{ file: string; change: 'added' | 'removed' | 'modified'; patch: string }>;
}

/** `diff`: the staged candidate against the promoted version, file by file (candidate.json aside). */
export async function diffTool(options: ShowOptions): Promise<DiffResult> {
  const { workspace } = await openWorkspace(options);
  const candidate = await readCandidate(workspace.stagedDir, options.toolId);
  const entry = await readEntry(workspace.registryDir, options.toolId).catch(() => {
    throw new NotFoundError(`${options.toolId} has never been promoted: nothing to diff against`, `\`toolsmith show ${options.toolId}\` shows the candidate`);
  });
  const oldDir = versionDir(workspace.registryDir, options.toolId, entry.version);
  const newDir = candidateDir(workspace.stagedDir, options.toolId);
  const skip = (rel: string) => rel === BUILD_DIR || rel === 'candidate.json';
  const [oldFiles, newFiles] = await Promise.all([listFiles(oldDir, skip), listFiles(newDir, skip)]);
  const { createTwoFilesPatch } = await import('diff');
  const files: DiffResult['files'] = [];
  for (const file of [...new Set([...oldFiles, ...newFiles])].sort()) {
    const before = oldFiles.includes(file) ? await readFile(path.join(oldDir, file), 'utf8') : '';
    const after = newFiles.includes(file) ? await readFile(path.join(newDir, file), 'utf8') : '';
    if (before === after) continue;
    const change = !oldFiles.includes(file) ? 'added' : !newFiles.includes(file) ? 'removed' : 'modified';
    const patch = createTwoFilesPatch(`promoted/${file}`, `staged/${file}`, before, after, entry.version, candidate.version);
    files.push({ file, change, patch });
  }
  return { tool_id: options.toolId, from: entry.version, to: candidate.version, changed: files.length > 0, files };
}
