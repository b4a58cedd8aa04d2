import type { RuleModule } from './types.js';
import { forbiddenCall } from './rules/forbidden-call.js';
import { forbiddenImport } from './rules/forbidden-import.js';
import { importBoundary } from './rules/import-boundary.js';
import { methodSignature } from './rules/method-signature.js';
import { requiredFinallyCall } from './rules/required-finally-call.js';
import { toolCapabilities } from './rules/tool-capabilities.js';
import { toolDefaultExport } from './rules/tool-default-export.js';
import { toolNoModuleState } from './rules/tool-no-module-state.js';

/**
 * Every rule kind, explicitly (no directory scanning): the config's `kind` picks one.
 * Each module's options type differs; the engine only hands a module the options its own
 * schema parsed, so widening to RuleModule<unknown> here is safe.
 */
export const RULES: Record<string, RuleModule<unknown>> = {
  'forbidden-call': forbiddenCall as RuleModule<unknown>,
  'forbidden-import': forbiddenImport as RuleModule<unknown>,
  'import-boundary': importBoundary as RuleModule<unknown>,
  'required-finally-call': requiredFinallyCall as RuleModule<unknown>,
  'method-signature': methodSignature as RuleModule<unknown>,
  'tool-default-export': toolDefaultExport as RuleModule<unknown>,
  'tool-no-module-state': toolNoModuleState as RuleModule<unknown>,
  'tool-capabilities': toolCapabilities as RuleModule<unknown>,
};

/** Findings the engine itself reports (not configurable kinds); documented in docs/rules/ like the rules. */
export const ENGINE_RULES = {
  'parse-error': 'The file could not be parsed (a syntax error, or binary content); its rules did not run.',
  'invalid-suppression': 'A `toolsmith-disable-next-line` comment without a rule name or a `-- reason`; it suppresses nothing.',
  'unused-suppression': 'A `toolsmith-disable-next-line` comment that suppressed no finding.',
  'internal-error': 'A rule failed on this file (a bug in toolsmith); the file was not fully checked.',
  'skipped-file': 'A file or folder that could not be checked (unreadable, not a regular file, a name that is not UTF-8, nesting too deep); nothing in it passed unchecked silently.',
} as const;
