import { distance } from 'fastest-levenshtein';
import { npmHighImpact } from 'npm-high-impact';
import type { Ecosystem } from './package-document.ts';
import { popularPypiNames } from './popular-pypi-names.ts';
import { pythonStdlibModules } from './python-stdlib-modules.ts';

/** Why a name looks like a popular one. */
export interface ConfusableMatch {
  /** The popular package (or standard-library module) the name imitates. */
  target: string;
  technique: 'edit-distance' | 'separator' | 'homoglyph' | 'affix' | 'stdlib';
  /** Damerau-Levenshtein distance for `edit-distance`. */
  distance?: number | undefined;
}

export interface ConfusableDetector {
  /** Whether the name is itself on the popular list (never confusable then). */
  isPopular(name: string): boolean;
  detect(name: string): ConfusableMatch | undefined;
}

const npmAffixes = {
  prefixes: ['node-', 'nodejs-', 'js-', 'npm-', 'the-', 'real-', 'official-', 'get-'],
  suffixes: [
    '-js',
    '.js',
    'js',
    '-node',
    '-nodejs',
    '-utils',
    '-util',
    '-lib',
    '-dev',
    '-official',
    '-pkg',
    '-package',
    '-helper',
    '-helpers',
    '-tool',
    '-tools',
    '-plus',
    '-pro',
    '-latest',
    '-new',
    '-fixed',
    '-cli',
    'cli',
    '2',
    '-2',
    '-io',
  ],
};
const pypiAffixes = {
  prefixes: ['python-', 'python3-', 'py-', 'py3-', 'py', 'the-', 'official-'],
  suffixes: [
    '-python',
    '-py',
    '-py3',
    '3',
    '-lib',
    '-utils',
    '-util',
    '-dev',
    '-official',
    '-pkg',
    '-package',
    '-helper',
    '-tools',
    '-plus',
    '-pro',
    '-latest',
    '-new',
    '-fixed',
    '-api',
    '-client',
    '-sdk',
  ],
};

/**
 * A detector of names that imitate popular packages: edit distance relative to length (Damerau distance 1 for
 * names of 5+ characters, Levenshtein 2 for 9+), separator and scope confusion (`react_dom`, `@types-react`),
 * homoglyphs and digit swaps (`c0mmander`, `rn` for `m`), and popular name plus a filler affix
 * (`lodash-utils`, `express-js`). `targets` are compared against; `known` names are never flagged.
 *
 * @example createConfusableDetector({ targets: ['lodash'], ecosystem: 'npm' }).detect('lodahs')?.target // => 'lodash'
 */
export function createConfusableDetector(options: {
  ecosystem: Ecosystem;
  targets: readonly string[];
  known?: readonly string[] | undefined;
  stdlib?: ReadonlySet<string> | undefined;
  /** How many of the first targets count as "most popular" for generic affixes and distance 2 (default 5000). */
  topCount?: number | undefined;
}): ConfusableDetector {
  const normalize = (name: string) =>
    options.ecosystem === 'pypi' ? name.toLowerCase().replace(/[-_.]+/g, '-') : name.toLowerCase();
  const known = new Set([...(options.known ?? []), ...options.targets].map(normalize));
  const targets = options.targets.map(normalize);
  const targetSet = new Set(targets);
  const rank = new Map<string, number>();
  targets.forEach((target, index) => rank.set(target, rank.get(target) ?? index));
  const bySkeleton = new Map<string, string>();
  const byCanonical = new Map<string, string>();
  const byLength = new Map<number, string[]>();
  for (const target of targets) {
    if (!bySkeleton.has(skeleton(target))) bySkeleton.set(skeleton(target), target);
    if (!byCanonical.has(canonical(target))) byCanonical.set(canonical(target), target);
    if (target.length < 4) continue;
    const bucket = byLength.get(target.length);
    if (bucket) bucket.push(target);
    else byLength.set(target.length, [target]);
  }
  const topByLength = new Map<number, string[]>();
  for (const target of targets.slice(0, options.topCount ?? 5000)) {
    if (target.length < 7) continue;
    const bucket = topByLength.get(target.length);
    if (bucket) bucket.push(target);
    else topByLength.set(target.length, [target]);
  }
  const affixes = options.ecosystem === 'pypi' ? pypiAffixes : npmAffixes;
  const better = (left: string, right: string) =>
    (rank.get(left) ?? Infinity) < (rank.get(right) ?? Infinity);

  return {
    isPopular: (name) => known.has(normalize(name)),
    detect(rawName) {
      const name = normalize(rawName);
      if (known.has(name)) return undefined;
      const stdlibTwin =
        options.stdlib && [...options.stdlib].find((module) => module.toLowerCase() === name);
      if (stdlibTwin) return { target: stdlibTwin, technique: 'stdlib' };
      const separatorTwin = bySkeleton.get(skeleton(name));
      if (separatorTwin) return { target: separatorTwin, technique: 'separator' };
      // Homoglyphs are judged on the raw spelling: `I` for `l` only shows before lower-casing.
      const homoglyphTwin = byCanonical.get(canonical(rawName.replace(/I/g, 'l')));
      if (homoglyphTwin) return { target: homoglyphTwin, technique: 'homoglyph' };
      const bare = name.replace(/^@[^/]+\//, '');
      if (options.ecosystem === 'npm' && /^node[a-z]/.test(bare)) {
        const base = bare.slice(4);
        if (base.length >= 5 && (rank.get(base) ?? Infinity) < (options.topCount ?? 5000))
          return { target: base, technique: 'affix' };
      }
      for (const prefix of affixes.prefixes)
        if (bare.startsWith(prefix) && bare.length - prefix.length >= 2) {
          const base = bare.slice(prefix.length);
          if (targetSet.has(base)) return { target: base, technique: 'affix' };
          const stdlibBase =
            options.stdlib &&
            [...options.stdlib].find((module) => module.length >= 4 && osaDistance(module, base) <= 1);
          if (stdlibBase) return { target: stdlibBase, technique: 'stdlib' };
        }
      for (const suffix of affixes.suffixes)
        if (bare.endsWith(suffix) && bare.length - suffix.length >= 2) {
          const base = bare.slice(0, -suffix.length);
          // Generic fillers (`-utils`, `-pro`, `-cli`) only next to the most popular names; `.js`/`-node` anywhere.
          const nearTop = (rank.get(base) ?? Infinity) < (options.topCount ?? 5000);
          if (targetSet.has(base) && (nearTop || /^(?:\.js|-js|js|-node|-nodejs)$/.test(suffix)))
            return { target: base, technique: 'affix' };
        }
      if (name.length >= 5) {
        let best: string | undefined;
        for (let length = name.length - 1; length <= name.length + 1; length += 1)
          for (const target of byLength.get(length) ?? [])
            if (isOneEditApart(name, target) && (best === undefined || better(target, best))) best = target;
        if (best) return { target: best, technique: 'edit-distance', distance: 1 };
      }
      if (name.length >= 9) {
        let best: string | undefined;
        for (let length = name.length - 2; length <= name.length + 2; length += 1)
          for (const target of topByLength.get(length) ?? [])
            if (distance(name, target) <= 2 && (best === undefined || better(target, best))) best = target;
        if (best) return { target: best, technique: 'edit-distance', distance: osaDistance(name, best) };
      }
      return undefined;
    },
  };
}

/** Separators, scope markers and case removed: `react_dom`, `reactdom`, `@types-react` meet their originals. */
function skeleton(name: string): string {
  let result = '';
  for (const character of name.toLowerCase()) if (!separators.has(character)) result += character;
  return result;
}

const separators = new Set(['@', '/', '.', '_', '-']);
const lookAlikes: Record<string, string> = {
  '0': 'o',
  '1': 'l',
  '!': 'l',
  '|': 'l',
  '3': 'e',
  '4': 'a',
  '5': 's',
  $: 's',
  '7': 't',
};

/** The skeleton with look-alike characters folded (`0`->`o`, `1`->`l`, `rn`->`m`, `vv`->`w`). */
function canonical(name: string): string {
  const text = skeleton(name);
  let result = '';
  for (let index = 0; index < text.length; index += 1) {
    const character = text[index] ?? '';
    const next = text[index + 1];
    // Character loops, not regular expressions: this runs for 17,000 names when the detector is built.
    if ((character === 'r' && next === 'n') || (character === 'v' && next === 'v')) {
      result += character === 'r' ? 'm' : 'w';
      index += 1;
    } else result += lookAlikes[character] ?? character;
  }
  return result;
}

/**
 * Damerau distance exactly 1 (one insertion, deletion, substitution or adjacent swap), in linear time.
 *
 * @example isOneEditApart('lodash', 'lodahs') // => true
 */
export function isOneEditApart(left: string, right: string): boolean {
  if (left === right) return false;
  const [shorter, longer] = left.length <= right.length ? [left, right] : [right, left];
  if (longer.length - shorter.length > 1) return false;
  let index = 0;
  while (index < shorter.length && shorter[index] === longer[index]) index += 1;
  if (shorter.length === longer.length) {
    if (shorter.slice(index + 1) === longer.slice(index + 1)) return true;
    return (
      shorter[index] === longer[index + 1] &&
      shorter[index + 1] === longer[index] &&
      shorter.slice(index + 2) === longer.slice(index + 2)
    );
  }
  return shorter.slice(index) === longer.slice(index + 1);
}

/**
 * Optimal string alignment distance (Levenshtein plus adjacent transpositions), for short names.
 *
 * @example osaDistance('expresss', 'express') // => 1
 */
export function osaDistance(left: string, right: string): number {
  const rows = left.length + 1;
  const columns = right.length + 1;
  const table: number[][] = Array.from({ length: rows }, (_, row) =>
    Array.from({ length: columns }, (_, column) => (row === 0 ? column : column === 0 ? row : 0)),
  );
  for (let row = 1; row < rows; row += 1) {
    for (let column = 1; column < columns; column += 1) {
      const cost = left[row - 1] === right[column - 1] ? 0 : 1;
      const current = table[row] as number[];
      const previous = table[row - 1] as number[];
      let value = Math.min(
        (previous[column] ?? 0) + 1,
        (current[column - 1] ?? 0) + 1,
        (previous[column - 1] ?? 0) + cost,
      );
      if (row > 1 && column > 1 && left[row - 1] === right[column - 2] && left[row - 2] === right[column - 1])
        value = Math.min(value, ((table[row - 2] as number[])[column - 2] ?? 0) + 1);
      current[column] = value;
    }
  }
  return (table[rows - 1] as number[])[columns - 1] ?? 0;
}

const detectors = new Map<Ecosystem, ConfusableDetector>();

/**
 * The default detector of an ecosystem: npm compares with the `npm-high-impact` list (about 17,000 names, in
 * its order of impact; generic affixes and distance 2 only against the first 5,000); PyPI with the curated popular list and the
 * standard library.
 *
 * @example detectConfusableName('crossenv', 'npm')?.target // => 'cross-env'
 */
export function detectConfusableName(name: string, ecosystem: Ecosystem): ConfusableMatch | undefined {
  return defaultConfusableDetector(ecosystem).detect(name);
}

/**
 * The shared default detector (built once, on first use).
 *
 * @example defaultConfusableDetector('npm').isPopular('react') // => true
 */
export function defaultConfusableDetector(ecosystem: Ecosystem): ConfusableDetector {
  let detector = detectors.get(ecosystem);
  if (!detector) {
    detector =
      ecosystem === 'npm'
        ? createConfusableDetector({ ecosystem, targets: npmHighImpact, topCount: 5000 })
        : createConfusableDetector({ ecosystem, targets: popularPypiNames, stdlib: pythonStdlibModules });
    detectors.set(ecosystem, detector);
  }
  return detector;
}
