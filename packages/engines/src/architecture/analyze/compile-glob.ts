/**
 * A matcher for a path glob as used in layer rules: `**` spans folders, `*` and `?` stay within one path
 * segment, `{a,b}` alternates. A pattern ending in `/` or naming a folder also matches everything below it.
 * Written here (a few lines) because Node 20's `path.matchesGlob` is experimental and prints a warning.
 *
 * @example compileGlob('src/ui/**')('src/ui/pages/home.tsx') // => true
 */
export function compileGlob(pattern: string): (path: string) => boolean {
  const normalized = pattern.replace(/\\/g, '/').replace(/^\.\//, '').replace(/\/$/, '/**');
  let source = '';
  let braceDepth = 0;
  for (let index = 0; index < normalized.length; index++) {
    const character = normalized[index]!;
    if (character === '*') {
      if (normalized[index + 1] === '*') {
        const followedBySlash = normalized[index + 2] === '/';
        // `**/` matches zero or more whole folders; a trailing `**` matches anything.
        source += followedBySlash ? '(?:[^/]*/)*' : '.*';
        index += followedBySlash ? 2 : 1;
      } else source += '[^/]*';
    } else if (character === '?') source += '[^/]';
    else if (character === '{') {
      braceDepth++;
      source += '(?:';
    } else if (character === '}' && braceDepth > 0) {
      braceDepth--;
      source += ')';
    } else if (character === ',' && braceDepth > 0) source += '|';
    else source += character.replace(/[.+^$()|[\]\\]/g, '\\$&');
  }
  // A plain folder name (`src/ui`) means the folder and everything in it.
  const expression = new RegExp(`^${source}(?:/.*)?$`);
  return (path) => expression.test(path);
}
