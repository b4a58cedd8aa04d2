import { constants, type Stats } from 'node:fs';
import { lstat, open } from 'node:fs/promises';
import { UserError } from '../models/errors.js';

/** What a tool package may hold; said in every refusal of another kind of file. */
export const PACKAGE_FILES_HINT = 'a tool package holds only regular files and folders: remove it';

/** What kind of file system entry this is, in words, or null for a regular file or a folder. */
export function describeSpecialFile(stats: Pick<Stats, 'isFile' | 'isDirectory' | 'isFIFO' | 'isSocket' | 'isCharacterDevice' | 'isBlockDevice' | 'isSymbolicLink'>): string | null {
  if (stats.isFile() || stats.isDirectory()) return null;
  if (stats.isFIFO()) return 'a FIFO (named pipe)';
  if (stats.isSocket()) return 'a socket';
  if (stats.isCharacterDevice()) return 'a character device';
  if (stats.isBlockDevice()) return 'a block device';
  if (stats.isSymbolicLink()) return 'a symbolic link';
  return 'not a regular file';
}

/**
 * Reads a file that must be a regular file, without ever blocking on one that is not: the
 * type is checked before opening (a socket cannot be opened, a FIFO would wait for a
 * writer for ever), and the open itself is non-blocking and checked again (the entry may
 * be swapped in between).
 * @throws UserError naming the file and what it is; the fs error (ENOENT, ...) as it is otherwise
 */
export async function readRegularFile(file: string, hint: string = PACKAGE_FILES_HINT): Promise<Buffer> {
  const before = await lstat(file);
  assertRegular(file, before.isSymbolicLink() ? null : before, hint);
  const handle = await open(file, constants.O_RDONLY | constants.O_NONBLOCK);
  try {
    assertRegular(file, await handle.stat(), hint);
    return await handle.readFile();
  } finally {
    await handle.close();
  }
}

/** readRegularFile as UTF-8 text. */
export async function readRegularText(file: string, hint?: string): Promise<string> {
  return (await readRegularFile(file, hint)).toString('utf8');
}

function assertRegular(file: string, stats: Stats | null, hint: string): void {
  // A symbolic link is judged by its target (after open): lstat alone cannot tell.
  if (stats === null) return;
  if (stats.isDirectory()) throw new UserError(`${file} is a folder, not a file`, hint);
  const kind = describeSpecialFile(stats);
  if (kind !== null) throw new UserError(`${file} is ${kind}, not a regular file`, hint);
}
