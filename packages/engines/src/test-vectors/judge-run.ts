import type { AnalyzedFunction, VectorLanguage } from './analyzed-function.ts';
import { conformsToShape, numericValue } from './conforms-to-shape.ts';
import type { EncodedValue } from './encoded-value.ts';
import type { Finding } from './finding.ts';
import type { TestVector } from './test-vector.ts';
import type { VectorOutcome } from './vector-outcome.ts';

/** A call that takes longer than this on a small input is suspected of catastrophic backtracking. */
export const slowCallMs = 250;
const smallInputSize = 100_000;
const nondeterministicNames = /random|shuffle|uuid|nonce|now|timestamp|token|salt|sample|jitter/i;

export interface Judgement {
  findings: Finding[];
  robustnessNote?: string;
}

/**
 * The oracles, in order: crash and hang; documented examples; declared types and documented exceptions;
 * non-finite results, malformed unicode, injection payloads reflected into SQL/HTML/shell-looking output,
 * non-determinism and input mutation. Vectors outside the documented contract (robustness vectors) never
 * produce findings: their failures become a note.
 *
 * @example judgeRun(fn, vector, { status: 'timeout', durationMs: 2000 }, 'python').findings[0]?.kind // => 'hang'
 */
export function judgeRun(
  fn: AnalyzedFunction,
  vector: TestVector,
  outcome: VectorOutcome,
  language: VectorLanguage,
): Judgement {
  const findings: Finding[] = [];
  const report = (kind: Finding['kind'], severity: Finding['severity'], message: string) =>
    findings.push({ kind, function: fn.name, vectorId: vector.id, severity, message });
  const valid = vector.validity === 'valid';
  const input = describeArguments(vector.arguments);

  if (outcome.status === 'timeout') {
    if (!valid)
      return {
        findings,
        robustnessNote: `did not return within the time limit for ${input} (outside the contract)`,
      };
    report(
      'hang',
      'high',
      `did not return within ${Math.round(outcome.durationMs)} ms for ${input} (${vector.rationale})`,
    );
    return { findings };
  }
  if (outcome.status === 'crash') {
    if (!valid) return { findings, robustnessNote: `the process died for ${input} (outside the contract)` };
    report(
      'crash',
      'high',
      `the process died (exit ${outcome.exitCode ?? outcome.signal ?? 'unknown'}) for ${input}: ${outcome.output.slice(-300)}`,
    );
    return { findings };
  }

  if (vector.expected) {
    const expected = vector.expected;
    if (expected.kind === 'throws') {
      if (outcome.status !== 'threw')
        report(
          'example-mismatch',
          'high',
          `documented example expects ${expected.errorType} but the call returned ${preview(outcome.value)}`,
        );
      else if (outcome.error.type !== expected.errorType)
        report(
          'example-mismatch',
          'high',
          `documented example expects ${expected.errorType} but the call threw ${outcome.error.type}: ${outcome.error.message}`,
        );
    } else if (outcome.status === 'threw') {
      report(
        'example-mismatch',
        'high',
        `documented example expects ${preview(expected.value)} but the call threw ${outcome.error.type}: ${outcome.error.message}`,
      );
    } else if (!encodedEqual(outcome.value, expected.value)) {
      report(
        'example-mismatch',
        'high',
        `documented example expects ${preview(expected.value)} but the call returned ${preview(outcome.value)}`,
      );
    }
    return { findings };
  }

  // Polluting Object.prototype is never an acceptable way to handle any input, in the contract or not.
  if (outcome.prototypePollution && outcome.prototypePollution.length > 0) {
    report(
      'prototype-pollution',
      'high',
      `added ${outcome.prototypePollution.map((name) => JSON.stringify(name)).join(', ')} to Object.prototype for ${input} (${vector.rationale})`,
    );
  }

  if (outcome.durationMs > slowCallMs && inputSize(vector.arguments) <= smallInputSize && valid) {
    report(
      'slow',
      'high',
      `took ${Math.round(outcome.durationMs)} ms for ${input} (${vector.rationale}): catastrophic backtracking or a super-linear loop`,
    );
  }

  if (outcome.status === 'threw') {
    const documented = fn.throws.some(
      (entry) =>
        entry.type === undefined ||
        entry.type === outcome.error.type ||
        entry.type === 'Error' ||
        entry.type === 'Exception',
    );
    if (!valid) {
      return {
        findings,
        robustnessNote: `rejected input outside the contract with ${outcome.error.type}: ${outcome.error.message.slice(0, 200)}`,
      };
    }
    if (outcome.error.native && !fn.throws.some((entry) => entry.type === outcome.error.type)) {
      report(
        'crash',
        'high',
        `crashed with ${outcome.error.type}: ${outcome.error.message.slice(0, 300)} for ${input} (${vector.rationale})`,
      );
    } else if (!documented) {
      report(
        'undocumented-exception',
        'medium',
        `threw ${outcome.error.type}: ${outcome.error.message.slice(0, 300)} for ${input}, which the documentation does not list${fn.throws.length ? ` (documented: ${fn.throws.map((entry) => entry.type ?? 'unspecified').join(', ')})` : ''}`,
      );
    }
    if (outcome.mutatedArguments.length > 0 && !fn.documentsMutation) {
      report(
        'input-mutation',
        'medium',
        `changed argument ${outcome.mutatedArguments.map((index) => fn.parameters[index]?.name ?? index).join(', ')} before throwing, for ${input}`,
      );
    }
    return { findings };
  }

  // Returned normally.
  const value = outcome.value;
  if (!valid) return { findings };
  const returns = fn.returns.type;
  if (
    returns.kind !== 'any' &&
    returns.kind !== 'unsupported' &&
    returns.kind !== 'void' &&
    !conformsToShape(value, returns, {}, language)
  ) {
    report(
      'type-violation',
      'high',
      `returned ${preview(value)}, which is not the declared ${fn.returns.typeText}, for ${input}`,
    );
  }
  if (containsNonFinite(value) && !vector.arguments.some(containsNonFinite)) {
    const huge = vector.arguments.some((argument) => maximumMagnitude(argument) > 1e150);
    report(
      'non-finite-result',
      huge ? 'low' : 'high',
      `returned ${preview(value)} although every input is finite, for ${input}`,
    );
  }
  if (containsLoneSurrogate(value) && !vector.arguments.some(containsLoneSurrogate)) {
    report(
      'malformed-unicode',
      'high',
      `returned a string with a lone surrogate (a split emoji or astral character) for ${input}`,
    );
  }
  const reflection = findReflection(vector, value);
  if (reflection) report('injection-reflection', 'high', reflection);
  if (outcome.secondValue !== undefined && !nondeterministicNames.test(`${fn.name} ${fn.summary}`)) {
    report(
      'non-determinism',
      'medium',
      `two calls with ${input} returned ${preview(value)} and ${preview(outcome.secondValue)}`,
    );
  }
  if (
    outcome.mutatedArguments.length > 0 &&
    !fn.documentsMutation &&
    returns.kind !== 'void' &&
    !isUndefined(value)
  ) {
    report(
      'input-mutation',
      'medium',
      `changed argument ${outcome.mutatedArguments.map((index) => fn.parameters[index]?.name ?? index).join(', ')} although it returns a result and its documentation does not say it modifies its input, for ${input}`,
    );
  }
  return { findings };
}

const sqlShape = /\b(select|insert|update|delete)\b[\s\S]*\b(from|into|set|where)\b/i;
const htmlShape = /<[a-z][\w-]*(\s[^>]*)?>/i;
const shellShape =
  /^\s*(\w[\w.-]*\/)*(ls|cat|echo|grep|git|curl|wget|rm|cp|mv|tar|convert|ffmpeg|ping|sh|bash|python3?|node|npm|find|mkdir|chmod|sed|awk)\b/;

function findReflection(vector: TestVector, value: EncodedValue): string | undefined {
  if (vector.vectorClass !== 'security') return undefined;
  const payloads = vector.arguments
    .flatMap(stringLeaves)
    .filter((text) => text.length >= 4 && text.length < 200);
  for (const output of stringLeaves(value)) {
    for (const payload of payloads) {
      if (!output.includes(payload) || output === payload) continue;
      const rest = output.split(payload).join(' ');
      if (/'|--|;/.test(payload) && sqlShape.test(rest))
        return `the SQL injection payload ${JSON.stringify(payload)} appears unescaped in SQL text: ${JSON.stringify(output.slice(0, 200))}`;
      if (/[<>"]/.test(payload) && htmlShape.test(rest))
        return `the markup payload ${JSON.stringify(payload)} appears unescaped in HTML: ${JSON.stringify(output.slice(0, 200))}`;
      if (/[;$`|&]/.test(payload) && shellShape.test(rest) && hasUnquotedMetacharacter(output, payload))
        return `the shell payload ${JSON.stringify(payload)} appears unquoted in a command line: ${JSON.stringify(output.slice(0, 200))}`;
      // A traversal payload appended after a separator: base + "/" + name, the shape of an unchecked join.
      if (/\.\.[/\\]/.test(payload) && (output.includes(`/${payload}`) || output.includes(`\\${payload}`)))
        return `the path traversal payload ${JSON.stringify(payload)} is kept in a path: ${JSON.stringify(output.slice(0, 200))}`;
      if (/\r\n/.test(payload) && /^[\w-]+:\s/m.test(rest))
        return `the CRLF payload ${JSON.stringify(payload)} appears raw in header-like output: ${JSON.stringify(output.slice(0, 200))}`;
    }
  }
  return undefined;
}

/**
 * Whether some occurrence of the payload in a command line has a shell metacharacter that the shell would
 * interpret: outside quotes and not escaped (inside double quotes, `$` and backquotes still count).
 */
function hasUnquotedMetacharacter(command: string, payload: string): boolean {
  const live: boolean[] = [];
  let quote: "'" | '"' | undefined;
  for (let index = 0; index < command.length; index += 1) {
    const character = command[index] ?? '';
    if (quote === "'") {
      live.push(false);
      if (character === "'") quote = undefined;
    } else if (character === '\\') {
      live.push(false, false);
      index += 1;
    } else if (quote === '"') {
      live.push(character === '$' || character === '`');
      if (character === '"') quote = undefined;
    } else {
      live.push(/[;|&$`<>()]/.test(character));
      if (character === "'" || character === '"') quote = character;
    }
  }
  for (let start = command.indexOf(payload); start >= 0; start = command.indexOf(payload, start + 1)) {
    if (live.slice(start, start + payload.length).some(Boolean)) return true;
  }
  return false;
}

function stringLeaves(value: EncodedValue, depth = 0): string[] {
  if (typeof value === 'string') return [value];
  if (depth > 6 || value === null || typeof value !== 'object') return [];
  if (Array.isArray(value)) return value.flatMap((element) => stringLeaves(element, depth + 1));
  switch (value.$) {
    case 'object':
      return value.v.flatMap(([key, entry]) => [key, ...stringLeaves(entry, depth + 1)]);
    case 'tuple':
    case 'set':
      return value.v.flatMap((element) => stringLeaves(element, depth + 1));
    case 'map':
      return value.v.flatMap(([key, entry]) => [
        ...stringLeaves(key, depth + 1),
        ...stringLeaves(entry, depth + 1),
      ]);
    default:
      return [];
  }
}

function walk(value: EncodedValue, visit: (leaf: EncodedValue) => boolean, depth = 0): boolean {
  if (visit(value)) return true;
  if (depth > 8 || value === null || typeof value !== 'object') return false;
  if (Array.isArray(value)) return value.some((element) => walk(element, visit, depth + 1));
  switch (value.$) {
    case 'object':
      return value.v.some(([, entry]) => walk(entry, visit, depth + 1));
    case 'tuple':
    case 'set':
      return value.v.some((element) => walk(element, visit, depth + 1));
    case 'map':
      return value.v.some(([key, entry]) => walk(key, visit, depth + 1) || walk(entry, visit, depth + 1));
    case 'array-repeat':
      return walk(value.v, visit, depth + 1);
    case 'nested':
      return walk(value.leaf, visit, depth + 1);
    default:
      return false;
  }
}

function containsNonFinite(value: EncodedValue): boolean {
  return walk(value, (leaf) => {
    const number = numericValue(leaf);
    return number !== undefined && !Number.isFinite(number);
  });
}

function maximumMagnitude(value: EncodedValue): number {
  let largest = 0;
  walk(value, (leaf) => {
    const number = numericValue(leaf);
    if (number !== undefined && Math.abs(number) > largest) largest = Math.abs(number);
    return false;
  });
  return largest;
}

const loneSurrogate = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function containsLoneSurrogate(value: EncodedValue): boolean {
  return walk(value, (leaf) => {
    if (typeof leaf === 'string') return loneSurrogate.test(leaf);
    if (leaf !== null && typeof leaf === 'object' && !Array.isArray(leaf) && leaf.$ === 'repeat')
      return loneSurrogate.test(leaf.v);
    return false;
  });
}

function isUndefined(value: EncodedValue): boolean {
  return value === null || (typeof value === 'object' && !Array.isArray(value) && value.$ === 'undefined');
}

function inputSize(args: EncodedValue[]): number {
  let size = 0;
  for (const argument of args) {
    walk(argument, (leaf) => {
      if (typeof leaf === 'string') size += leaf.length;
      else if (leaf !== null && typeof leaf === 'object' && !Array.isArray(leaf)) {
        if (leaf.$ === 'repeat') size += leaf.v.length * leaf.n;
        else if (leaf.$ === 'array-repeat') size += leaf.n;
        else if (leaf.$ === 'nested') size += leaf.depth;
        else if (leaf.$ === 'object') size += leaf.v.length;
      } else if (Array.isArray(leaf)) size += leaf.length;
      return false;
    });
  }
  return size;
}

/**
 * Equality of encoded values, with floating-point results compared to 12 significant digits so that an
 * example written as `0.3` matches `0.30000000000000004`.
 */
export function encodedEqual(left: EncodedValue, right: EncodedValue): boolean {
  if (typeof left === 'number' && typeof right === 'number') {
    if (left === right) return true;
    return Math.abs(left - right) <= 1e-12 * Math.max(Math.abs(left), Math.abs(right));
  }
  if (Array.isArray(left) && Array.isArray(right)) {
    return (
      left.length === right.length &&
      left.every((element, index) => encodedEqual(element, right[index] ?? null))
    );
  }
  if (
    left !== null &&
    right !== null &&
    typeof left === 'object' &&
    typeof right === 'object' &&
    !Array.isArray(left) &&
    !Array.isArray(right)
  ) {
    if (left.$ === 'object' && right.$ === 'object') {
      if (left.v.length !== right.v.length) return false;
      const rightEntries = new Map(right.v);
      return left.v.every(
        ([key, entry]) => rightEntries.has(key) && encodedEqual(entry, rightEntries.get(key) ?? null),
      );
    }
    if ((left.$ === 'tuple' || left.$ === 'set') && left.$ === right.$) return encodedEqual(left.v, right.v);
  }
  return JSON.stringify(left) === JSON.stringify(right);
}

/** A short human rendering of an encoded value for messages. */
export function preview(value: EncodedValue): string {
  const text = renderPreview(value);
  return text.length > 120 ? `${text.slice(0, 117)}...` : text;
}

function renderPreview(value: EncodedValue): string {
  if (typeof value === 'string')
    return JSON.stringify(value.length > 60 ? `${value.slice(0, 60)}…(${value.length} chars)` : value);
  if (value === null || typeof value !== 'object') return String(value);
  if (Array.isArray(value))
    return `[${value.slice(0, 8).map(renderPreview).join(', ')}${value.length > 8 ? `, …${value.length} items` : ''}]`;
  switch (value.$) {
    case 'undefined':
      return 'undefined';
    case 'nan':
      return 'NaN';
    case 'infinity':
      return 'Infinity';
    case '-infinity':
      return '-Infinity';
    case '-0':
      return '-0';
    case 'bigint':
      return `${value.v}n`;
    case 'date':
      return value.v ? `Date(${value.v})` : 'Invalid Date';
    case 'repeat':
      return `${JSON.stringify(value.v)} × ${value.n}`;
    case 'array-repeat':
      return `[${renderPreview(value.v)} × ${value.n}]`;
    case 'nested':
      return `${value.depth} nested arrays`;
    case 'object':
      return `{${value.v
        .slice(0, 6)
        .map(([key, entry]) => `${JSON.stringify(key)}: ${renderPreview(entry)}`)
        .join(', ')}${value.v.length > 6 ? ', …' : ''}}`;
    case 'tuple':
      return `(${value.v.map(renderPreview).join(', ')})`;
    case 'set':
      return `Set{${value.v.slice(0, 6).map(renderPreview).join(', ')}}`;
    default:
      return JSON.stringify(value).slice(0, 80);
  }
}

function describeArguments(args: EncodedValue[]): string {
  return `(${args.map(preview).join(', ')})`;
}
