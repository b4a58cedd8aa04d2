import { fileURLToPath } from 'node:url';

/** The templates/ folder shipped with toolsmith (beside dist/ in the package). */
export function defaultTemplatesDir(): string {
  return fileURLToPath(new URL('../../templates', import.meta.url));
}
