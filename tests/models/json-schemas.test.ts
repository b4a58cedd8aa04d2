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

describe('src/models/generated/stored-validators.ts', () => {
  it('is current with the zod models (run `npm run schemas` after changing a model)', async () => {
    const { createStoredValidatorsModule } = await import('../../src/json-schema/create-stored-validators.js');
    const onDisk = readFileSync(path.join(ROOT, 'src', 'models', 'generated', 'stored-validators.ts'), 'utf8');
    expect(onDisk === createStoredValidatorsModule(), 'stored-validators.ts is stale: run `npm run schemas`').toBe(true);
  });

  it('applies the same defaults and refusals as the zod model', async () => {
    const { parseStored } = await import('../../src/models/stored.js');
    const { WorkspaceConfig } = await import('../../src/models/config.js');
    const parsed = parseStored('WorkspaceConfig', { policy: { min_tier: 'GOOD' } });
    expect(parsed).toEqual({ ok: true, value: WorkspaceConfig.parse({ policy: { min_tier: 'GOOD' } }) });
    const bad = parseStored('WorkspaceConfig', { policy: { min_teir: 'GOOD' } });
    expect(bad).toEqual({ ok: false, problems: 'unknown key policy.min_teir' });
    expect(WorkspaceConfig.safeParse({ policy: { min_teir: 'GOOD' } }).success).toBe(false);
  });
});
