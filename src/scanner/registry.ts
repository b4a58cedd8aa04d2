import type { RegisteredRule, RuleModule } from './types.js';
import { forbiddenCall } from './rules/forbidden-call.js';
import { forbiddenImport } from './rules/forbidden-import.js';
import { importBoundary } from './rules/import-boundary.js';
import { methodSignature } from './rules/method-signature.js';
import { requiredFinallyCall } from './rules/required-finally-call.js';
import { toolCapabilities } from './rules/tool-capabilities.js';
import { toolDefaultExport } from './rules/tool-default-export.js';
import { toolNoModuleState } from './rules/tool-no-module-state.js';

/** Seals a module's options type in: its options are parsed by its own schema, then bound to `create` and `finish`. */
export function registerRule<Options>(module: RuleModule<Options>): RegisteredRule {
  const { kind, description, defaultSeverity, messages } = module;
  const meta = { kind, description, defaultSeverity, messages };
  return {
    ...meta,
    options: module.options,
    activate(rawOptions, settings) {
      const parsed = module.options.safeParse(rawOptions);
      if (!parsed.success) return { ok: false, issues: parsed.error.issues };
      const options = parsed.data;
      const finish = module.finish;
      return {
        ok: true,
        rule: {
          ...settings,
          meta,
          create: (context) => module.create({ ...context, options }),
          ...(finish ? { finish: (shared: Record<string, unknown>) => finish.call(module, shared, options) } : {}),
        },
      };
    },
  };
}

/** Every rule kind, explicitly (no directory scanning): the config's `kind` picks one. */
export const RULES: Record<string, RegisteredRule> = {
  'forbidden-call': registerRule(forbiddenCall),
  'forbidden-import': registerRule(forbiddenImport),
  'import-boundary': registerRule(importBoundary),
  'required-finally-call': registerRule(requiredFinallyCall),
  'method-signature': registerRule(methodSignature),
  'tool-default-export': registerRule(toolDefaultExport),
  'tool-no-module-state': registerRule(toolNoModuleState),
  'tool-capabilities': registerRule(toolCapabilities),
};

/** Findings the engine itself reports (not configurable kinds); documented in docs/rules/ like the rules. */
export const ENGINE_RULES = {
  'parse-error': 'The file could not be parsed (a syntax error, or binary content); its rules did not run.',
  'invalid-suppression': 'A `toolsmith-disable-next-line` comment without a rule name or a `-- reason`; it suppresses nothing.',
  'unused-suppression': 'A `toolsmith-disable-next-line` comment that suppressed no finding.',
  'internal-error': 'A rule failed on this file (a bug in toolsmith); the file was not fully checked.',
  'skipped-file': 'A file or folder that could not be checked (unreadable, not a regular file, a name that is not UTF-8, nesting too deep); nothing in it passed unchecked silently.',
} as const;
