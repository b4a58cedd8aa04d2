// A small glob compiler: `**` (any folders), `*` and `?` (within one path segment) and
// `{a,b}` alternatives, matched against whole `/`-separated paths relative to the scan root.
// Written here rather than taken from a package because the scanner needs exactly this much.

function escapeRegExp(c: string): string {
  return /[\\^$.*+?()[\]{}|/]/.test(c) ? `\\${c}` : c;
}

function convert(glob: string): string {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob.charAt(i);
    if (c === '*') {
      if (glob.charAt(i + 1) === '*') {
        i++;
        if (glob.charAt(i + 1) === '/') {
          i++;
          re += '(?:.*/)?';
        } else re += '.*';
      } else re += '[^/]*';
    } else if (c === '?') re += '[^/]';
    else if (c === '{') {
      const end = glob.indexOf('}', i);
      if (end < 0) re += '\\{';
      else {
        re += `(?:${glob.slice(i + 1, end).split(',').map(convert).join('|')})`;
        i = end;
      }
    } else re += escapeRegExp(c);
  }
  return re;
}

/** Compiles one glob to an anchored RegExp (a trailing `/` or `/**` also matches the folder's files). */
export function globToRegExp(glob: string): RegExp {
  const normalized = glob.replace(/^\.\//, '').replace(/\/$/, '/**');
  return new RegExp(`^${convert(normalized)}$`);
}

/** A predicate true when a path matches any of the globs (false for an empty list). */
export function createGlobMatcher(globs: readonly string[]): (file: string) => boolean {
  if (globs.length === 0) return () => false;
  const re = new RegExp(globs.map((g) => globToRegExp(g).source).join('|'));
  return (file) => re.test(file);
}
