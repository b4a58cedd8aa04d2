/**
 * ESLint rule `toolsmith/assertion-comment` (STYLE: "no `as` without a comment saying why it
 * is safe"): a type assertion (`x as T`, `<T>x`) needs a comment on its own line or on the
 * line just above. `as const` and `as unknown` claim nothing about a value and are exempt. ESLint's
 * own rules can restrict assertions but cannot ask for the reason, hence this small rule.
 */
export const assertionComment = {
  meta: {
    type: 'suggestion',
    docs: { description: 'require a comment saying why each type assertion is safe' },
    messages: { missing: 'a type assertion needs a comment on this line or the line above saying why it is safe' },
    schema: [],
  },
  create(context) {
    const source = context.sourceCode;
    // Lines that hold (part of) a comment, computed once per file.
    let commented = null;
    const commentedLines = () => {
      if (commented) return commented;
      commented = new Set();
      for (const comment of source.getAllComments()) {
        for (let line = comment.loc.start.line; line <= comment.loc.end.line; line++) commented.add(line);
      }
      return commented;
    };
    const check = (node) => {
      const annotation = node.typeAnnotation;
      if (annotation.type === 'TSUnknownKeyword') return;
      if (annotation.type === 'TSTypeReference' && annotation.typeName.type === 'Identifier' && annotation.typeName.name === 'const') return;
      const lines = commentedLines();
      const start = node.loc.start.line;
      const end = node.loc.end.line;
      for (let line = start - 1; line <= end; line++) if (lines.has(line)) return;
      context.report({ node, messageId: 'missing' });
    };
    return { TSAsExpression: check, TSTypeAssertion: check };
  },
};
