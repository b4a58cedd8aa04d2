import { z } from 'zod';
import { ts } from '../../ast/syntax.js';
import { createGlobMatcher } from '../glob.js';
import { createModuleReferenceVisitors, moduleReferenceOf } from '../import-specifiers.js';
import type { RuleModule } from '../types.js';

const Options = z.strictObject({
  /** Globs of files the matched files must not import. */
  disallow: z.array(z.string().min(1)).min(1).optional(),
  /** When given, the only files the matched files may import (an allow-list). */
  allow: z.array(z.string().min(1)).min(1).optional(),
  /** Count `import type` too (default true: a type import still couples the rooms). */
  include_type_only: z.boolean().default(true),
}).refine((o) => o.disallow !== undefined || o.allow !== undefined, { message: 'needs `disallow` or `allow`' });

interface Compiled {
  disallowed: (file: string) => boolean;
  allowed: ((file: string) => boolean) | null;
}

const compiled = new WeakMap<object, Compiled>();

function matchersOf(options: z.infer<typeof Options>): Compiled {
  let c = compiled.get(options);
  if (!c) {
    c = { disallowed: createGlobMatcher(options.disallow ?? []), allowed: options.allow ? createGlobMatcher(options.allow) : null };
    compiled.set(options, c);
  }
  return c;
}

/** Files matching A must not import files matching B: relative specifiers are resolved to files. */
export const importBoundary: RuleModule<z.infer<typeof Options>> = {
  kind: 'import-boundary',
  description: 'Files matching `files` must not import (relatively) files matching `disallow`, or outside `allow`.',
  defaultSeverity: 'error',
  messages: {
    disallowed: '`{specifier}` resolves to {target}, which this file may not import',
    notAllowed: '`{specifier}` resolves to {target}, outside what this file may import',
  },
  options: Options,
  create(context) {
    const { disallowed, allowed } = matchersOf(context.options);
    const check = (node: ts.Node) => {
      const ref = moduleReferenceOf(node);
      if (!ref || ref.specifier === null || (ref.typeOnly && !context.options.include_type_only)) return;
      const target = context.resolveImport(ref.specifier);
      if (target === null) return;
      if (disallowed(target)) context.report({ target: ref.node, messageId: 'disallowed', data: { specifier: ref.specifier, target } });
      else if (allowed && !allowed(target)) context.report({ target: ref.node, messageId: 'notAllowed', data: { specifier: ref.specifier, target } });
    };
    return { enter: createModuleReferenceVisitors(check) };
  },
};
