// The README's main job: the whole lifecycle on an example, in a temporary workspace.
import { mkdtempSync, writeFileSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ROOT, step } from './lib.mjs';

const ws = mkdtempSync(path.join(os.tmpdir(), 'toolsmith-demo-'));
const env = { TOOLSMITH_ACTOR: 'demo-author' };
console.log(`toolsmith demo: the whole lifecycle in ${ws}`);
step(ws, ['init', '.'], { env });
const example = path.join(ROOT, 'examples', 'text_stats');
step(ws, ['generate', '--spec', path.join(example, 'spec.json')], { env });
console.log('\n(the generated skeleton is a typed DRAFT: it type-checks but fails its first test)');
step(ws, ['validate', 'text_stats'], { env, expect: 1 });
step(ws, ['stage', 'text_stats'], { env, expect: 1 });
for (const file of ['index.ts', 'tests.json']) writeFileSync(path.join(ws, 'staged', 'text_stats', file), readFileSync(path.join(example, file)));
console.log('\n(wrote the implementation and its tests into staged/text_stats/, as a developer would)');
step(ws, ['validate', 'text_stats'], { env });
step(ws, ['stage', 'text_stats'], { env });
step(ws, ['show', 'text_stats'], { env });
step(ws, ['approve', 'text_stats', '--reviewer', 'demo-author'], { env, expect: 1 });
step(ws, ['approve', 'text_stats', '--reviewer', 'reviewer-alice', '--notes', 'tests cover empty and unicode text'], { env: { TOOLSMITH_ACTOR: 'reviewer-alice' } });
step(ws, ['promote', 'text_stats'], { env });
step(ws, ['verify'], { env });
step(ws, ['run', 'text_stats', '--input', '{"text":"Tools for agents. Tools that are governed!","top":3}'], { env });
console.log(`\ndone: the promoted tool ran through the governed runner. Workspace left in ${ws}`);
