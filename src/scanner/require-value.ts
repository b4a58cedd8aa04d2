import type { ts } from '../ast/syntax.js';
import type { RuleContext } from './types.js';
import { isValueReference, valueUseOf } from './value-use.js';

/**
 * A visitor for identifiers named `require` that reports each one handed on as a value
 * (`const r = require`, `load(require)`): modules loaded through it escape every check of
 * what is loaded. Null (nothing to register) where the file's text never says `require`
 * and in declaration files. Reports `messageId` with `{via}` and `{what}`.
 */
export function createRequireValueWatch<O>(context: RuleContext<O>, messageId: string): ((node: ts.Identifier) => void) | null {
  if (context.sourceFile.isDeclarationFile || !context.sourceFile.text.includes('require')) return null;
  return (id) => {
    // escapedText equals the text for `require` (it does not start with `__`), and skips a getter call.
    if (id.escapedText !== 'require' || !isValueReference(context.ancestors, id)) return;
    if (valueUseOf(context.ancestors, context.ancestors.length - 1, id) === 'escape') {
      // Both rules' messages name the loader: forbidden-import as {via}, tool-capabilities as {what}.
      const loader = '`require` used as a value';
      context.report({ target: id, messageId, data: { via: loader, what: loader } });
    }
  };
}
