import { z } from 'zod';
import { ts } from '../../ast/syntax.js';
import { createModuleReferenceVisitors, formatLoader, moduleReferenceOf, specifierMatchesModule } from '../import-specifiers.js';
import { createRequireValueWatch } from '../require-value.js';
import type { NodeVisitors, RuleModule } from '../types.js';

const Options = z.strictObject({
  /** Module names; each also covers its sub-paths and the `node:` prefix (`fs` covers `node:fs/promises`). */
  modules: z.array(z.string().min(1)).min(1),
  /** Report `require(x)` / `import(x)` whose specifier is not a string literal, and `require` handed on as a value (default true). */
  report_dynamic: z.boolean().default(true),
});

/**
 * Bans modules by name in every way code can load them; `import type` and declaration files
 * are exempt (they erase). Findings are on the whole statement or call, as ESLint's
 * no-restricted-imports and no-restricted-modules report them.
 */
export const forbiddenImport: RuleModule<z.infer<typeof Options>> = {
  kind: 'forbidden-import',
  description: 'Importing the named modules (static, re-export, require, dynamic import) is forbidden in the matched files.',
  defaultSeverity: 'error',
  messages: {
    forbidden: 'import of `{specifier}` is forbidden here (matches `{module}`)',
    dynamic: '{via} cannot be checked: load modules by a string literal',
  },
  options: Options,
  create(context) {
    const inDeclarationFile = context.sourceFile.isDeclarationFile;
    const check = (node: ts.Node) => {
      const ref = moduleReferenceOf(node, inDeclarationFile);
      if (!ref || ref.typeOnly) return;
      if (ref.specifier === null) {
        if (context.options.report_dynamic) context.report({ target: ref.reference, messageId: 'dynamic', data: { via: `${formatLoader(ref.via)} with a computed specifier` } });
        return;
      }
      const specifier = ref.specifier;
      const module = context.options.modules.find((m) => specifierMatchesModule(specifier, m));
      if (module) context.report({ target: ref.reference, messageId: 'forbidden', data: { specifier, module } });
    };
    const enter: NodeVisitors = createModuleReferenceVisitors(check);
    const requireWatch = context.options.report_dynamic ? createRequireValueWatch(context, 'dynamic') : null;
    if (requireWatch) enter[ts.SyntaxKind.Identifier] = requireWatch;
    return { enter };
  },
};
