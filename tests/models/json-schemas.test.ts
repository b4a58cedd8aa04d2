import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createJsonSchemaFiles } from '../../src/models/json-schemas.js';
import { ROOT } from '../helpers.js';

describe('schemas/', () => {
  it('is current with the zod models (run `npm run schemas` after changing a model)', () => {
    const expected = createJsonSchemaFiles();
    const dir = path.join(ROOT, 'schemas');
    const onDisk = readdirSync(dir).filter((f) => f.endsWith('.json')).sort();
    expect(onDisk).toEqual(Object.keys(expected).sort());
    for (const [name, content] of Object.entries(expected)) {
      expect(readFileSync(path.join(dir, name), 'utf8'), `schemas/${name} is stale`).toBe(content);
    }
  });
});
