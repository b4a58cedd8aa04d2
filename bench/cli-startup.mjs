// CLI cold start: `toolsmith --version` and `toolsmith list` (shipped registry) against `node -e 0`.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { compare } from './lib.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const bin = path.join(root, 'bin', 'toolsmith.js');
const floor = { label: 'node -e 0', argv: [process.execPath, '-e', '0'] };
export function run() {
  return [
    compare('toolsmith --version', { argv: [process.execPath, bin, '--version'] }, floor, { target: 1.3 }),
    compare('toolsmith list (shipped registry)', { argv: [process.execPath, bin, 'list'], cwd: root }, floor, { target: 2 }),
  ];
}
if (import.meta.url === `file://${process.argv[1]}`) run();
