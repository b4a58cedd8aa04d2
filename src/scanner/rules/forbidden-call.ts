import { z } from 'zod';
import { ts } from '../../ast/syntax.js';
import { calleeName, calleePath, formatPath, lastSegments, pathMatches } from '../call-path.js';
import type { RuleModule } from '../types.js';

const Options = z.strictObject({
  /** Call patterns: `eval`, `Function`, `*.run`, `child_process.exec`; see docs/rules/forbidden-call.md. */
  names: z.array(z.string().regex(/^(\*|[\w$]+)(\.(\*|[\w$]+))*$/, 'must be a dotted name such as eval or *.run')).min(1),
});

/**
 * Bans calls by name, in every form a reviewer would call the same call: `x.run()`,
 * `x["run"]()`, `x?.run()`, `globalThis.eval()`, `(0, eval)()`, `f.call()`, `new Function()`.
 */
export const forbiddenCall: RuleModule<z.infer<typeof Options>> = {
  kind: 'forbidden-call',
  description: 'Calls (and `new`) of the named functions or methods are forbidden in the matched files.',
  defaultSeverity: 'error',
  messages: { forbidden: '`{name}(...)` is forbidden here (matches `{pattern}`)' },
  options: Options,
  create(context) {
    const names = lastSegments(context.options.names);
    const anyName = names.has('*');
    const check = (node: ts.Node) => {
      const call = node as ts.CallExpression | ts.NewExpression; // safe: registered for these two kinds only
      if (!anyName) {
        const name = calleeName(call);
        if (name === null || !names.has(name)) return;
      }
      const path = calleePath(call);
      if (!path) return;
      const pattern = context.options.names.find((p) => pathMatches(path, p));
      if (pattern) context.report({ target: node, messageId: 'forbidden', data: { name: formatPath(path), pattern } });
    };
    return { enter: { [ts.SyntaxKind.CallExpression]: check, [ts.SyntaxKind.NewExpression]: check } };
  },
};
