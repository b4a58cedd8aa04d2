import type { z } from 'zod';

/** One line per zod issue: `key.path: message` (unknown keys are named). */
export function formatZodIssues(issues: readonly z.core.$ZodIssue[]): string {
  return issues
    .map((issue) => {
      const at = issue.path.length ? issue.path.join('.') : '(root)';
      if (issue.code === 'unrecognized_keys') {
        const keys = issue.keys.map((k) => (issue.path.length ? `${at}.${k}` : k));
        return `unknown key ${keys.join(', ')}`;
      }
      return `${at}: ${issue.message}`;
    })
    .join('; ');
}
