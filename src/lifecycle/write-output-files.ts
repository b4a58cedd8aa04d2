import { randomBytes } from 'node:crypto';
import { lstat, mkdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { UserError } from '../models/errors.js';

/**
 * Copies the files an `fs:write` tool left in its output folder into `outDir` (`run --out`).
 * The names come from the tool: each is a checked relative path, and no folder on the way
 * may be a symbolic link (a link planted in DIR must not send a tool's file elsewhere).
 * Each file is written to a temporary name and renamed, so an existing link at the final
 * name is replaced, never followed. Returns the paths written.
 * @throws UserError when DIR cannot be used
 */
export async function writeOutputFiles(outDir: string, files: ReadonlyArray<{ path: string; data: Buffer }>): Promise<string[]> {
  const root = path.resolve(outDir);
  await mkdir(root, { recursive: true }).catch((error: unknown) => {
    throw new UserError(`cannot create the output folder ${outDir}: ${(error as Error).message}`, 'pass --out a folder you can write'); // safe: fs calls reject with Error objects
  });
  const written: string[] = [];
  for (const file of files) {
    const target = path.join(root, ...file.path.split('/'));
    let dir = root;
    for (const segment of file.path.split('/').slice(0, -1)) {
      dir = path.join(dir, segment);
      const info = await lstat(dir).catch(() => null);
      if (info === null) await mkdir(dir);
      else if (!info.isDirectory()) throw new UserError(`cannot write ${file.path} into ${outDir}: ${path.relative(root, dir)} is not a folder`, 'use an empty folder for --out');
    }
    const temp = `${target}.${randomBytes(6).toString('hex')}.tmp`;
    try {
      await writeFile(temp, file.data, { flag: 'wx' });
      await rename(temp, target);
    } catch (error) {
      await rm(temp, { force: true });
      throw new UserError(`cannot write ${file.path} into ${outDir}: ${(error as Error).message}`, 'use an empty folder for --out'); // safe: fs calls reject with Error objects
    }
    written.push(target);
  }
  return written;
}
