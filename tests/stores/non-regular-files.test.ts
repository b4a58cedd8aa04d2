/**
 * Hashing and package reads refuse anything but regular files and folders (issue 9, item 8):
 * a FIFO, a socket or a device in a package is named in a UserError, found from the directory
 * listing or a non-blocking open, so nothing ever waits on a pipe.
 */
import { execFileSync } from 'node:child_process';
import { lstatSync, mkdirSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { UserError } from '../../src/models/errors.js';
import { hashPackageCode, listFiles } from '../../src/stores/hash.js';
import { describeSpecialFile, readRegularText } from '../../src/stores/read-regular-file.js';
import { tempDir } from '../helpers.js';

const servers: net.Server[] = [];
afterAll(() => servers.forEach((s) => s.close()));

async function packageWith(kind: 'fifo' | 'socket', rel: string): Promise<string> {
  const dir = tempDir('toolsmith-special-');
  mkdirSync(path.join(dir, 'sub'));
  writeFileSync(path.join(dir, 'index.ts'), 'export default () => ({});\n');
  const target = path.join(dir, rel);
  if (kind === 'fifo') execFileSync('mkfifo', [target]);
  else {
    const server = net.createServer();
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(target, resolve));
  }
  return dir;
}

describe('non-regular files', () => {
  it.each([
    ['fifo', 'sub/data.pipe', /sub\/data\.pipe is a FIFO \(named pipe\), not a regular file/],
    ['socket', 'tool.sock', /tool\.sock is a socket, not a regular file/],
    // Files the code hash leaves out are checked too: they are read elsewhere (spec.json by every command).
    ['fifo', 'spec.json', /spec\.json is a FIFO/],
  ] as const)('a %s at %s is refused by listFiles and hashPackageCode', async (kind, rel, message) => {
    const dir = await packageWith(kind, rel);
    for (const attempt of [() => listFiles(dir), () => hashPackageCode(dir)]) {
      const error = await attempt().then(() => null, (e: unknown) => e);
      expect(error).toBeInstanceOf(UserError);
      expect((error as UserError).message).toMatch(message);
      expect((error as UserError).hint).toMatch(/only regular files and folders/);
    }
  });

  it('devices are named as such (creating one needs root: /dev/null stands in)', () => {
    expect(describeSpecialFile(lstatSync('/dev/null'))).toBe('a character device');
    expect(describeSpecialFile(lstatSync('/dev'))).toBeNull();
  });

  it('readRegularText refuses a FIFO without blocking, and a folder; reads a regular file', async () => {
    const dir = await packageWith('fifo', 'tests.json');
    await expect(readRegularText(path.join(dir, 'tests.json'))).rejects.toThrow(/tests\.json is a FIFO \(named pipe\), not a regular file/);
    await expect(readRegularText(path.join(dir, 'sub'))).rejects.toThrow(/sub is a folder, not a file/);
    expect(await readRegularText(path.join(dir, 'index.ts'))).toMatch(/export default/);
  });
});
