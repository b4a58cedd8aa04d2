// The run-time half of schema validation: no ajv import, so `toolsmith run` stays fast.
import { createRequire } from 'node:module';
import type { ErrorObject } from 'ajv';

/** One readable line per ajv error, naming the field: `input.rows[2].name: must be string`. */
export function formatAjvErrors(errors: readonly ErrorObject[] | null | undefined, root: string): string[] {
  return (errors ?? []).map((e) => {
    const at = root + e.instancePath.split('/').slice(1).map((seg) => (/^\d+$/.test(seg) ? `[${seg}]` : `.${seg.replace(/~1/g, '/').replace(/~0/g, '~')}`)).join('');
    if (e.keyword === 'required') return `${at}.${String(e.params['missingProperty'])}: is required`;
    if (e.keyword === 'additionalProperties') return `${at}.${String(e.params['additionalProperty'])}: is not allowed`;
    return `${at}: ${e.message ?? 'is invalid'}`;
  });
}

/** What a standalone validator looks like once loaded. */
export type StandaloneValidator = ((data: unknown) => boolean) & { errors?: ErrorObject[] | null };

const requireFromToolsmith = createRequire(import.meta.url);

/** Instantiates a validator module written by createStandaloneValidatorModule. */
export function instantiateStandaloneValidator(factory: unknown): StandaloneValidator {
  if (typeof factory !== 'function') throw new TypeError('validator module has no default export function');
  return (factory as (req: NodeJS.Require) => StandaloneValidator)(requireFromToolsmith);
}
