import { statSync } from 'node:fs';
import { mkdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { UserError } from '../../models/errors.js';
import { writeFileAtomically } from '../../stores/atomic-write.js';
import { errnoCode } from '../../models/errno-code.js';

/**
 * Makes a report file's place ready before any work starts (`validate --junit`, `scan
 * --output`): its folder is created when missing, as ESLint's --output-file does; a path
 * that names a folder, or whose folder cannot be created, is refused now rather than after
 * minutes of work. Returns the absolute path.
 * @throws UserError naming the flag, the path as given and the reason
 */
export async function prepareOutputFile(flag: string, given: string, cwd: string): Promise<string> {
  const file = path.resolve(cwd, given);
  const hint = `pass ${flag} a file path in a folder you can write, e.g. ${flag} reports/out.xml`;
  if ((await stat(file).catch(() => null))?.isDirectory()) throw new UserError(`${flag} ${given}: is a folder, not a file`, hint);
  try {
    await mkdir(path.dirname(file), { recursive: true });
  } catch (error) {
    const code = errnoCode(error);
    const blocker = nearestExisting(path.dirname(file));
    const reason = code === 'ENOTDIR' || code === 'EEXIST'
      ? `cannot create the folder ${path.relative(cwd, blocker) || blocker}: a file is in the way`
      : `cannot create the folder ${path.dirname(given)} (${code === 'EACCES' || code === 'EPERM' ? 'permission denied' : code ?? String(error)})`;
    throw new UserError(`${flag} ${given}: ${reason}`, hint);
  }
  return file;
}

/** The nearest folder or file that exists at `dir` or above it (what stopped mkdir when it is a file). */
function nearestExisting(dir: string): string {
  let at = dir;
  while (!exists(at) && path.dirname(at) !== at) at = path.dirname(at);
  return at;
}

/** Whether a path exists; a path through a file (ENOTDIR) does not. */
function exists(at: string): boolean {
  try {
    return statSync(at, { throwIfNoEntry: false }) !== undefined;
  } catch {
    return false;
  }
}

/** Writes a report file (`scan --output`, `validate --junit`) atomically, ending in a newline. */
export async function writeOutput(file: string, text: string): Promise<void> {
  await writeFileAtomically(file, text.endsWith('\n') ? text : `${text}\n`);
}
