// `npm run schemas`: regenerates schemas/ and src/models/generated/ from the zod models (built
// to dist/ first by the npm script). A test fails when either is stale.
import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { createJsonSchemaFiles } from '../dist/models/json-schemas.js';
import { createStoredValidatorsModule } from '../dist/json-schema/create-stored-validators.js';

const dir = fileURLToPath(new URL('../schemas', import.meta.url));
await mkdir(dir, { recursive: true });
const files = createJsonSchemaFiles();
for (const old of await readdir(dir)) if (old.endsWith('.json') && !(old in files)) await rm(path.join(dir, old));
for (const [name, content] of Object.entries(files)) await writeFile(path.join(dir, name), content);
const generated = fileURLToPath(new URL('../src/models/generated/stored-validators.ts', import.meta.url));
await mkdir(path.dirname(generated), { recursive: true });
await writeFile(generated, createStoredValidatorsModule());
process.stdout.write(`wrote ${Object.keys(files).length} schemas to ${dir} and ${generated}\n`);
