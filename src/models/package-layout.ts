/**
 * The layout of a tool package and of its built form, defined once. The builder
 * (bundle/build-package.ts) writes it; the hashes (stores/hash.ts), the resolvers (runner/)
 * and validate read it; the sandbox imports its entry. Paths are POSIX, relative to the
 * package folder (or, for `BUILT_ENTRY`, to the build folder).
 */

/** The folder of compiled output inside a package: derived, covered by build_hash, not code_hash. */
export const BUILD_DIR = 'build';
/** The implementation a candidate must have, and the module its build exports the tool from. */
export const SOURCE_ENTRY = 'index.ts';
export const BUILT_ENTRY = 'index.js';
/** Written into the build folder so Node loads its `.js` files as ES modules. */
export const BUILD_MODULE_MARKER = { file: 'package.json', content: '{ "type": "module" }\n' } as const;

/** Where a source file of the package lands once built: `lib/a.ts` -> `build/lib/a.js`. */
export function builtPath(sourceRel: string): string {
  return `${BUILD_DIR}/${sourceRel.replace(/\.ts$/, '.js')}`;
}

/** A package path inside the build folder, relative to it (`build/a.js` -> `a.js`); null outside it. */
export function buildRelative(rel: string): string | null {
  return rel.startsWith(`${BUILD_DIR}/`) ? rel.slice(BUILD_DIR.length + 1) : null;
}
