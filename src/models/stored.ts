// Zod-free parsing of stored files: the generated validators are derived from the zod
// models (src/json-schema/create-stored-validators.ts), so `run` and `list` never import zod.
import type { ErrorObject } from 'ajv';
import * as generated from './generated/stored-validators.js';
import type { WorkspaceConfig } from './config.js';
import type { AuditRecord, MetricsFile, RegistryMetadata } from './registry.js';
import type { ToolCandidate } from './tool-candidate.js';

interface StoredTypes {
  WorkspaceConfig: WorkspaceConfig;
  RegistryMetadata: RegistryMetadata;
  MetricsFile: MetricsFile;
  ToolCandidate: ToolCandidate;
  AuditRecord: AuditRecord;
}

type Validator = ((data: unknown) => boolean) & { errors?: ErrorObject[] | null };

// safe: ajv's standalone code is a function of the data with an `errors` property (typed loosely in generated/).
const asValidator = (validate: unknown): Validator => validate as Validator;

const VALIDATORS: Record<keyof StoredTypes, Validator> = {
  WorkspaceConfig: asValidator(generated.validateWorkspaceConfig),
  RegistryMetadata: asValidator(generated.validateRegistryMetadata),
  MetricsFile: asValidator(generated.validateMetricsFile),
  ToolCandidate: asValidator(generated.validateToolCandidate),
  AuditRecord: asValidator(generated.validateAuditRecord),
};

export type StoredParse<T> = { ok: true; value: T } | { ok: false; problems: string };

/**
 * Validates (and fills defaults into) a parsed JSON value as one of the stored models.
 * Mutates `value` for defaults, as ajv's useDefaults does.
 */
export function parseStored<K extends keyof StoredTypes>(kind: K, value: unknown): StoredParse<StoredTypes[K]> {
  const validate = VALIDATORS[kind];
  // Safe: the validator is generated from the zod model whose inferred type StoredTypes[K] is.
  if (validate(value)) return { ok: true, value: value as StoredTypes[K] };
  return { ok: false, problems: formatStoredErrors(validate.errors ?? []) };
}

/**
 * The raw validation errors of a stored value (empty when it is valid), for callers that
 * must pick among the branches of a union (an audit line's `action` selects its branch).
 */
export function storedErrors<K extends keyof StoredTypes>(kind: K, value: unknown): ErrorObject[] {
  const validate = VALIDATORS[kind];
  return validate(value) ? [] : [...(validate.errors ?? [])];
}

/** One line per problem, naming the key path (an unknown key as `unknown key a.b`). */
export function formatStoredErrors(errors: readonly ErrorObject[]): string {
  const lines = errors
    .filter((e) => e.keyword !== 'anyOf' && e.keyword !== 'oneOf')
    .map((e) => {
      const at = e.instancePath.split('/').slice(1).map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~')).join('.');
      if (e.keyword === 'additionalProperties') return `unknown key ${at ? `${at}.` : ''}${String(e.params['additionalProperty'])}`;
      if (e.keyword === 'required') return `${at ? `${at}.` : ''}${String(e.params['missingProperty'])}: is required`;
      return `${at || '(root)'}: ${e.message ?? 'is invalid'}`;
    });
  return [...new Set(lines)].join('; ');
}
