import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { BUILD_DIR } from '../models/package-layout.js';
import { listFiles } from '../stores/hash.js';
import { readMetadata, versionDir } from '../stores/registry-store.js';
import { PROMOTION_RECORD } from '../stores/file-manifest.js';
import { openWorkspace } from '../workspace/open-workspace.js';
import { openCandidate } from './open-candidate.js';
import type { ShowOptions } from './show-tool.js';

export interface DiffResult {
  tool_id: string;
  /** The promoted version diffed against, or null for a first version (everything is added). */
  from: string | null;
  to: string;
  changed: boolean;
  /** One unified diff per file that differs (added and removed files included). */
  files: Array<{ file: string; change: 'added' | 'removed' | 'modified'; patch: string }>;
  /** Integrity findings about the candidate (shown, not hidden). */
  warnings: string[];
}

/** `diff`: the staged candidate against the promoted version (or against nothing), file by file (candidate.json aside). */
export async function diffTool(options: ShowOptions): Promise<DiffResult> {
  const open = await openWorkspace(options);
  const { workspace } = open;
  const ctx = await openCandidate(open, options.toolId, { strict: false, checkSignatures: false, cwd: options.cwd });
  const entry = (await readMetadata(workspace.registryDir)).tools[ctx.id];
  const oldDir = entry ? versionDir(workspace.registryDir, ctx.id, entry.version) : null;
  const skip = (rel: string) => rel === BUILD_DIR || rel === 'candidate.json' || rel === PROMOTION_RECORD;
  const [oldFiles, newFiles] = await Promise.all([oldDir ? listFiles(oldDir, skip).catch((): string[] => []) : Promise.resolve<string[]>([]), listFiles(ctx.dir, skip)]);
  const { createTwoFilesPatch } = await import('diff');
  const version = ctx.history.state.version ?? ctx.record.version;
  const files: DiffResult['files'] = [];
  for (const file of [...new Set([...oldFiles, ...newFiles])].sort()) {
    const before = oldDir && oldFiles.includes(file) ? await readFile(path.join(oldDir, file), 'utf8') : '';
    const after = newFiles.includes(file) ? await readFile(path.join(ctx.dir, file), 'utf8') : '';
    if (before === after && oldFiles.includes(file) === newFiles.includes(file)) continue;
    const change = !oldFiles.includes(file) ? 'added' : !newFiles.includes(file) ? 'removed' : 'modified';
    const fromName = change === 'added' ? '/dev/null' : `promoted/${file}`;
    const toName = change === 'removed' ? '/dev/null' : `staged/${file}`;
    const patch = createTwoFilesPatch(fromName, toName, before, after, entry?.version ?? '(none)', version);
    files.push({ file, change, patch });
  }
  return { tool_id: ctx.id, from: entry?.version ?? null, to: version, changed: files.length > 0, files, warnings: ctx.warnings };
}
