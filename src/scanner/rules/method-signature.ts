import { z } from 'zod';
import { ts } from '../../ast/syntax.js';
import { createClassVisitors, methodsNamed, type ClassNode } from '../class-members.js';
import type { RuleContext, RuleModule } from '../types.js';

const Options = z.strictObject({
  class: z.string().min(1),
  method: z.string().min(1),
  min_params: z.number().int().min(0),
});
type Options = z.infer<typeof Options>;

function checkClass(context: RuleContext<Options>, cls: ClassNode): void {
  // `const X = class {}` is not named: only `class X` counts.
  if (cls.name?.text !== context.options.class) return;
  context.shared['found'] = true;
  const { method, min_params: min } = context.options;
  const methods = methodsNamed(cls, method);
  if (methods.length === 0) {
    context.report({ target: cls.name ?? cls, messageId: 'missingMethod', data: { class: context.options.class, method } });
    return;
  }
  for (const fn of methods) {
    // A `this:` parameter is a type annotation, not an argument.
    const count = fn.parameters.filter((p) => !(ts.isIdentifier(p.name) && p.name.text === 'this')).length;
    if (count < min) context.report({ target: fn.name ?? fn, messageId: 'tooFew', data: { class: context.options.class, method, count, min } });
  }
}

/** Method M of class C takes at least N parameters (SPEC 8: ToolRunner.run(toolId, payload)). */
export const methodSignature: RuleModule<Options> = {
  kind: 'method-signature',
  description: 'A method of a class must take at least a given number of parameters.',
  defaultSeverity: 'error',
  messages: {
    tooFew: '{class}.{method} takes {count} parameter(s); it must take at least {min}',
    missingMethod: 'class {class} has no method {method}',
    missingClass: 'class {class} was not found in the files this rule checks',
  },
  options: Options,
  create(context) {
    return { enter: createClassVisitors((node) => checkClass(context, node)) };
  },
  finish: (shared, options) => (shared['found'] ? [] : [{ messageId: 'missingClass', data: { class: options.class } }]),
};
