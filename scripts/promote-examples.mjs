// Promotes examples/<tool>/ into the repository's own registry/ with toolsmith itself,
// so the shipped hashes and audit log are genuine. Usage: node scripts/promote-examples.mjs [tool...]
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { ROOT, lifecycle } from './lib.mjs';

const tools = process.argv.slice(2).length ? process.argv.slice(2) : readdirSync(path.join(ROOT, 'examples')).sort();
for (const tool of tools) lifecycle(ROOT, path.join(ROOT, 'examples', tool), { reviewer: 'maintainer', env: { TOOLSMITH_ACTOR: 'examples-author' } });
