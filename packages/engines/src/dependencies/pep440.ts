/**
 * The part of PEP 440 the dependency engine needs: parsing versions, ordering them, prerelease detection and
 * specifier matching (`==`, `!=`, `<`, `<=`, `>`, `>=`, `~=`, `===`, `==1.2.*`). `@renovatebot/pep440` is not
 * installed in this workspace, so this is a small, tested implementation of the specification's rules.
 */
export interface Pep440Version {
  epoch: number;
  release: number[];
  pre?: { label: 'a' | 'b' | 'rc'; number: number } | undefined;
  post?: number | undefined;
  dev?: number | undefined;
  local?: string | undefined;
  text: string;
}

const versionPattern =
  /^\s*v?(?:(\d+)!)?(\d+(?:\.\d+)*)(?:[-_.]?(a|b|c|rc|alpha|beta|pre|preview)[-_.]?(\d+)?)?(?:-(\d+)|[-_.]?(post|rev|r)[-_.]?(\d+)?)?(?:[-_.]?(dev)[-_.]?(\d+)?)?(?:\+([a-z0-9]+(?:[-_.][a-z0-9]+)*))?\s*$/i;

/**
 * Parses a PEP 440 version, or returns `undefined` when the text is not one.
 *
 * @example parsePep440Version('2.0.0rc1')?.pre // => { label: 'rc', number: 1 }
 */
export function parsePep440Version(text: string): Pep440Version | undefined {
  const match = versionPattern.exec(text);
  if (!match) return undefined;
  const [
    ,
    epoch,
    release,
    preLabel,
    preNumber,
    postImplicit,
    postLabel,
    postNumber,
    devLabel,
    devNumber,
    local,
  ] = match;
  const version: Pep440Version = {
    epoch: epoch ? Number(epoch) : 0,
    release: (release ?? '0').split('.').map(Number),
    text: text.trim(),
  };
  if (preLabel) {
    const lower = preLabel.toLowerCase();
    const label = lower === 'alpha' || lower === 'a' ? 'a' : lower === 'beta' || lower === 'b' ? 'b' : 'rc';
    version.pre = { label, number: preNumber ? Number(preNumber) : 0 };
  }
  if (postImplicit !== undefined) version.post = Number(postImplicit);
  else if (postLabel) version.post = postNumber ? Number(postNumber) : 0;
  if (devLabel) version.dev = devNumber ? Number(devNumber) : 0;
  if (local) version.local = local.toLowerCase();
  return version;
}

/**
 * Whether a version is a pre-release (`a`, `b`, `rc`) or a development release (`.dev`).
 *
 * @example isPep440Prerelease(parsePep440Version('5.1rc1')!) // => true
 */
export function isPep440Prerelease(version: Pep440Version): boolean {
  return version.pre !== undefined || version.dev !== undefined;
}

const preOrder = { a: 0, b: 1, rc: 2 } as const;

/**
 * Orders two PEP 440 versions (negative, zero, positive), following the specification's sort key.
 *
 * @example comparePep440(parsePep440Version('1.0rc1')!, parsePep440Version('1.0')!) < 0 // => true
 */
export function comparePep440(left: Pep440Version, right: Pep440Version): number {
  if (left.epoch !== right.epoch) return left.epoch - right.epoch;
  const length = Math.max(left.release.length, right.release.length);
  for (let index = 0; index < length; index += 1) {
    const difference = (left.release[index] ?? 0) - (right.release[index] ?? 0);
    if (difference !== 0) return difference;
  }
  const phase = (version: Pep440Version): [number, number, number] => {
    // Sort key: dev-only < pre < release; a release's post comes after it; dev comes before its pre/post.
    if (version.pre === undefined && version.post === undefined && version.dev !== undefined)
      return [-1, 0, 0];
    if (version.pre !== undefined) return [0, preOrder[version.pre.label], version.pre.number];
    return [1, 0, 0];
  };
  const [leftPhase, rightPhase] = [phase(left), phase(right)];
  for (let index = 0; index < 3; index += 1) {
    const difference = (leftPhase[index] ?? 0) - (rightPhase[index] ?? 0);
    if (difference !== 0) return difference;
  }
  const post = (left.post ?? -1) - (right.post ?? -1);
  if (post !== 0) return post;
  const dev = (left.dev ?? Number.POSITIVE_INFINITY) - (right.dev ?? Number.POSITIVE_INFINITY);
  if (dev !== 0 && Number.isFinite(dev)) return dev;
  if (left.dev === undefined && right.dev !== undefined) return 1;
  if (left.dev !== undefined && right.dev === undefined) return -1;
  return (left.local ?? '').localeCompare(right.local ?? '');
}

/**
 * Compares two version strings; unparsable versions sort first.
 *
 * @example comparePep440Text('5.4', '5.3.1') > 0 // => true
 */
export function comparePep440Text(left: string, right: string): number {
  const [a, b] = [parsePep440Version(left), parsePep440Version(right)];
  if (!a || !b) return a ? 1 : b ? -1 : left.localeCompare(right);
  return comparePep440(a, b);
}

export interface Pep440Specifier {
  operator: '==' | '!=' | '<' | '<=' | '>' | '>=' | '~=' | '===';
  version: string;
}

const specifierPattern = /^\s*(===|==|!=|<=|>=|~=|<|>)\s*([^\s,;]+)\s*$/;

/**
 * Parses a comma-separated specifier set (`>=1.0,<2`), or returns `undefined` when any clause is invalid.
 * An empty text is the empty set, which every version satisfies.
 *
 * @example parsePep440Specifiers('>=1.0, <2')?.length // => 2
 */
export function parsePep440Specifiers(text: string): Pep440Specifier[] | undefined {
  if (text.trim() === '') return [];
  const specifiers: Pep440Specifier[] = [];
  for (const clause of text.split(',')) {
    const match = specifierPattern.exec(clause);
    if (!match) return undefined;
    const operator = match[1] as Pep440Specifier['operator'];
    const version = match[2] ?? '';
    const wildcard = version.endsWith('.*');
    if (wildcard && operator !== '==' && operator !== '!=') return undefined;
    const parsed = parsePep440Version(wildcard ? version.slice(0, -2) : version);
    if (operator !== '===' && !parsed) return undefined;
    // `~=1` is meaningless: a compatible release needs at least two release segments.
    if (operator === '~=' && (parsed?.release.length ?? 0) < 2) return undefined;
    specifiers.push({ operator, version });
  }
  return specifiers;
}

/**
 * Whether `versionText` satisfies the specifier set. Pre-releases match only when `includePrerelease` is set or
 * a clause itself names a pre-release (PEP 440's rule).
 *
 * @example satisfiesPep440('5.4.1', '>=5.4,<6') // => true
 */
export function satisfiesPep440(
  versionText: string,
  specifierText: string,
  options: { includePrerelease?: boolean } = {},
): boolean {
  const version = parsePep440Version(versionText);
  const specifiers = parsePep440Specifiers(specifierText);
  if (!version || !specifiers) return false;
  if (isPep440Prerelease(version) && !options.includePrerelease) {
    const namesPrerelease = specifiers.some((specifier) => {
      const parsed = parsePep440Version(specifier.version.replace(/\.\*$/, ''));
      return parsed !== undefined && isPep440Prerelease(parsed);
    });
    if (!namesPrerelease) return false;
  }
  return specifiers.every((specifier) => matchesSpecifier(version, specifier));
}

function matchesSpecifier(version: Pep440Version, specifier: Pep440Specifier): boolean {
  if (specifier.operator === '===') return version.text === specifier.version;
  if (specifier.version.endsWith('.*')) {
    const prefix = parsePep440Version(specifier.version.slice(0, -2));
    if (!prefix) return false;
    const matches =
      version.epoch === prefix.epoch &&
      prefix.release.every((part, index) => (version.release[index] ?? 0) === part);
    return specifier.operator === '==' ? matches : !matches;
  }
  const target = parsePep440Version(specifier.version);
  if (!target) return false;
  const withoutLocal = target.local === undefined ? { ...version, local: undefined } : version;
  const order = comparePep440(withoutLocal, target);
  switch (specifier.operator) {
    case '==':
      return order === 0;
    case '!=':
      return order !== 0;
    case '<':
      return (
        order < 0 &&
        !(isPep440Prerelease(version) && sameRelease(version, target) && !isPep440Prerelease(target))
      );
    case '<=':
      return order <= 0;
    case '>':
      return (
        order > 0 &&
        !(version.post !== undefined && target.post === undefined && sameRelease(version, target))
      );
    case '>=':
      return order >= 0;
    case '~=': {
      if (order < 0 || target.release.length < 2) return false;
      const prefix = target.release.slice(0, -1);
      return (
        version.epoch === target.epoch &&
        prefix.every((part, index) => (version.release[index] ?? 0) === part)
      );
    }
    default:
      return false;
  }
}

function sameRelease(left: Pep440Version, right: Pep440Version): boolean {
  const length = Math.max(left.release.length, right.release.length);
  for (let index = 0; index < length; index += 1)
    if ((left.release[index] ?? 0) !== (right.release[index] ?? 0)) return false;
  return left.epoch === right.epoch;
}
