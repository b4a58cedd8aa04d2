import { z } from 'zod';
import { ts } from '../../ast/syntax.js';
import { moduleReferenceOf, specifierMatchesModule } from '../import-specifiers.js';
import type { RuleModule } from '../types.js';

const Options = z.strictObject({
  /** Module names; each also covers its sub-paths and the `node:` prefix (`fs` covers `node:fs/promises`). */
  modules: z.array(z.string().min(1)).min(1),
  /** Report `require(x)` / `import(x)` whose specifier is not a string literal (default true). */
  report_dynamic: z.boolean().default(true),
});

/** Bans modules by name in every way code can load them; `import type` is exempt (it erases). */
export const forbiddenImport: RuleModule<z.infer<typeof Options>> = {
  kind: 'forbidden-import',
  description: 'Importing the named modules (static, re-export, require, dynamic import) is forbidden in the matched files.',
  defaultSeverity: 'error',
  messages: {
    forbidden: 'import of `{specifier}` is forbidden here (matches `{module}`)',
    dynamic: '{via} with a computed specifier cannot be checked; use a string literal',
  },
  options: Options,
  create(context) {
    const check = (node: ts.Node) => {
      const ref = moduleReferenceOf(node);
      if (!ref || ref.typeOnly) return;
      if (ref.specifier === null) {
        if (context.options.report_dynamic) context.report({ target: ref.node, messageId: 'dynamic', data: { via: `${ref.via}(...)` } });
        return;
      }
      const specifier = ref.specifier;
      const module = context.options.modules.find((m) => specifierMatchesModule(specifier, m));
      if (module) context.report({ target: ref.node, messageId: 'forbidden', data: { specifier, module } });
    };
    return {
      enter: {
        [ts.SyntaxKind.ImportDeclaration]: check,
        [ts.SyntaxKind.ExportDeclaration]: check,
        [ts.SyntaxKind.ImportEqualsDeclaration]: check,
        [ts.SyntaxKind.CallExpression]: check,
      },
    };
  },
};
