import path from 'node:path';
import type { EncodedValue } from './encoded-value.ts';
import type { EmittedFile } from './emit-vitest.ts';
import type { Finding } from './finding.ts';
import type { TestVectorResult, VectorRun } from './test-vector-result.ts';

const builtinExceptions = new Set([
  'ArithmeticError', 'AssertionError', 'AttributeError', 'EOFError', 'Exception', 'FileNotFoundError', 'ImportError',
  'IndexError', 'KeyError', 'LookupError', 'MemoryError', 'NameError', 'NotImplementedError', 'OSError', 'OverflowError',
  'PermissionError', 'RecursionError', 'RuntimeError', 'StopIteration', 'TypeError', 'UnicodeDecodeError',
  'UnicodeEncodeError', 'UnicodeError', 'ValueError', 'ZeroDivisionError',
]); // prettier-ignore

/** The value describer inlined in every emitted suite: the same tags as python-executor.py. */
const describeHelper = `
def _describe(value, _ancestors=()):
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, int):
        return value if abs(value) <= 2**53 else {"$": "bigint", "v": str(value)}
    if isinstance(value, float):
        if math.isnan(value):
            return {"$": "nan"}
        if math.isinf(value):
            return {"$": "infinity"} if value > 0 else {"$": "-infinity"}
        if value == 0 and math.copysign(1, value) < 0:
            return {"$": "-0"}
        return value
    if isinstance(value, str):
        return value
    if isinstance(value, (bytes, bytearray)):
        return {"$": "bytes", "v": base64.b64encode(bytes(value)).decode("ascii")}
    if isinstance(value, (datetime.datetime, datetime.date)):
        return {"$": "date", "v": value.isoformat()}
    if any(value is ancestor for ancestor in _ancestors):
        return {"$": "cycle"}
    inner = _ancestors + (value,)
    if isinstance(value, list):
        return [_describe(item, inner) for item in value]
    if isinstance(value, tuple) and not hasattr(value, "_fields"):
        return {"$": "tuple", "v": [_describe(item, inner) for item in value]}
    if isinstance(value, (set, frozenset)):
        return {"$": "set", "v": [_describe(item, inner) for item in sorted(value, key=repr)]}
    if isinstance(value, dict):
        if all(isinstance(key, str) for key in value):
            return {"$": "object", "v": [[key, _describe(item, inner)] for key, item in value.items()]}
        return {"$": "map", "v": [[_describe(key, inner), _describe(item, inner)] for key, item in value.items()]}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {"$": "object", "class": type(value).__name__, "v": [[field.name, _describe(getattr(value, field.name), inner)] for field in dataclasses.fields(value)]}
    if hasattr(value, "_fields"):
        return {"$": "object", "class": type(value).__name__, "v": [[name, _describe(getattr(value, name), inner)] for name in value._fields]}
    if inspect.isgenerator(value):
        return [_describe(item, inner) for item in value]
    if callable(value) and not hasattr(value, "__dict__") or isinstance(value, types.FunctionType):
        return {"$": "function", "name": getattr(value, "__name__", "")}
    if hasattr(value, "__dict__") and not isinstance(value, type):
        return {"$": "object", "class": type(value).__name__, "v": [[key, _describe(item, inner)] for key, item in vars(value).items() if not key.startswith("__")]}
    return {"$": "opaque", "type": type(value).__name__, "repr": repr(value)[:200]}


def _build(class_name, fields):
    # As the executor did: an instance of the module's dataclass when the fields fit, else the plain dict.
    cls = getattr(subject, class_name, None)
    if isinstance(cls, type) and dataclasses.is_dataclass(cls):
        try:
            return cls(**fields)
        except TypeError:
            return fields
    return fields


def _call(name, *arguments):
    first, _, member = name.partition(".")
    target = getattr(subject, first)
    if member:
        raw = inspect.getattr_static(target, member)
        target = getattr(target, member) if isinstance(raw, (staticmethod, classmethod)) else getattr(target(), member)
    result = target(*arguments)
    if inspect.iscoroutine(result):
        result = asyncio.run(result)
    if inspect.isgenerator(result) or (hasattr(result, "__next__") and hasattr(result, "__iter__")):
        result = list(result)
    return result
`;

/**
 * Emits a pytest suite pinning the behaviour of every executed vector of a Python module: returned values
 * compared through an inlined describer that encodes values exactly as the executor did, exceptions by type.
 * Vectors with findings assert the correct behaviour under `xfail(strict=True)`, so the suite passes as
 * emitted and a fixed bug turns its test red. Hangs, crashes and non-deterministic calls are skipped with the
 * reason. Pure and deterministic.
 *
 * @example emitPytest(result, { emitDirectory: 'tests/vectors' })[0]?.path // => '.../test_tax_vectors.py'
 */
export function emitPytest(result: TestVectorResult, options: { emitDirectory: string }): EmittedFile[] {
  const emitDirectory = path.resolve(options.emitDirectory);
  const moduleName = path.basename(result.file).replace(/\.py$/, '');
  const relativeDirectory =
    path.relative(emitDirectory, path.dirname(result.file)).split(path.sep).join('/') || '.';
  const lines: string[] = [
    `# Generated by Plumb (plumb vectors ${path.basename(result.file)} --seed ${result.seed} --emit ...). Do not edit by hand:`,
    '# regenerate instead. Tests pin the behaviour observed when the vectors ran; xfail(strict=True) marks findings',
    '# (they pass while the bug is there and fail once it is fixed).',
    'import asyncio',
    'import base64',
    'import dataclasses',
    'import datetime',
    'import importlib.util',
    'import inspect',
    'import math',
    'import pathlib',
    'import sys',
    'import types',
    '',
    'import pytest',
    '',
    `_SOURCE = (pathlib.Path(__file__).resolve().parent / ${pythonString(relativeDirectory)} / ${pythonString(`${moduleName}.py`)}).resolve()`,
    'sys.path.insert(0, str(_SOURCE.parent))',
    `_spec = importlib.util.spec_from_file_location(${pythonString(moduleName)}, _SOURCE)`,
    'subject = importlib.util.module_from_spec(_spec)',
    `sys.modules[${pythonString(moduleName)}] = subject`,
    '_spec.loader.exec_module(subject)',
    describeHelper,
  ];
  for (const report of result.functions) {
    report.runs.forEach((run, index) => lines.push('', ...emitRun(report.function.name, run, index)));
  }
  const safeName = moduleName.replace(/\W/g, '_');
  return [
    {
      path: path.join(emitDirectory, `test_${safeName}_vectors.py`),
      contents: `${lines.join('\n').trimEnd()}\n`,
    },
  ];
}

function emitRun(functionName: string, run: VectorRun, index: number): string[] {
  const { vector, outcome } = run;
  const testName = `test_${functionName.replace(/\W/g, '_')}_${index + 1}_${vector.vectorClass.replace(/\W/g, '_')}`;
  const doc = `    # ${docString(`${vector.vectorClass}: ${vector.rationale}`)}`;
  const call = `_call(${[pythonString(functionName), ...vector.arguments.filter((value) => !isUndefined(value)).map((value) => pythonLiteral(value))].join(', ')})`;
  const finding: Finding | undefined = run.findings[0];
  if (outcome.status === 'timeout' || outcome.status === 'crash') {
    return [
      `@pytest.mark.skip(reason=${pythonString(outcome.status === 'timeout' ? 'did not return in time' : 'crashed the process')})`,
      `def ${testName}():`,
      doc,
      '    pass',
    ];
  }
  if (
    outcome.status === 'threw' &&
    (outcome.error.type === 'MemoryError' || outcome.error.type === 'RecursionError')
  ) {
    // Without the executor's memory cap these would exhaust the test machine instead of failing fast.
    return [
      `@pytest.mark.skip(reason=${pythonString(`exhausts ${outcome.error.type === 'MemoryError' ? 'memory' : 'the stack'}: ${vector.rationale}`)})`,
      `def ${testName}():`,
      doc,
      '    pass',
    ];
  }
  if (finding && (finding.kind === 'non-determinism' || finding.kind === 'slow' || finding.kind === 'hang')) {
    return [
      `@pytest.mark.skip(reason=${pythonString(`finding: ${finding.kind}: ${finding.message.slice(0, 200)}`)})`,
      `def ${testName}():`,
      doc,
      '    pass',
    ];
  }
  if (outcome.status === 'returned' && JSON.stringify(outcome.value).includes('"$":"truncated"')) {
    return [`def ${testName}():`, doc, `    ${call}`];
  }
  if (finding) {
    return [
      `@pytest.mark.xfail(strict=True, reason=${pythonString(`finding: ${finding.kind}: ${finding.message.slice(0, 200)}`)})`,
      `def ${testName}():`,
      doc,
      ...expectedBehaviour(run, finding, call),
    ];
  }
  if (outcome.status === 'threw') {
    return [
      `def ${testName}():`,
      doc,
      `    with pytest.raises(${exceptionReference(outcome.error.type)}):`,
      `        ${call}`,
    ];
  }
  return [
    `def ${testName}():`,
    doc,
    `    assert _describe(${call}) == ${pythonLiteral(outcome.value, true)}`,
  ];
}

function expectedBehaviour(run: VectorRun, finding: Finding, call: string): string[] {
  const { vector, outcome } = run;
  switch (finding.kind) {
    case 'example-mismatch':
      if (vector.expected?.kind === 'throws')
        return [
          `    with pytest.raises(${exceptionReference(vector.expected.errorType)}):`,
          `        ${call}`,
        ];
      return [`    assert _describe(${call}) == ${pythonLiteral(vector.expected?.value ?? null, true)}`];
    case 'divergence':
      if (run.referenceOutcome?.status === 'returned')
        return [`    assert _describe(${call}) == ${pythonLiteral(run.referenceOutcome.value, true)}`];
      if (run.referenceOutcome?.status === 'threw')
        return [
          `    with pytest.raises(${exceptionReference(run.referenceOutcome.error.type)}):`,
          `        ${call}`,
        ];
      return [`    ${call}`];
    case 'input-mutation': {
      const args = vector.arguments.filter((value) => !isUndefined(value));
      return [
        `    arguments = [${args.map((value) => pythonLiteral(value)).join(', ')}]`,
        `    _call(${pythonString(vector.function)}, *arguments)`,
        `    assert [_describe(argument) for argument in arguments] == ${pythonLiteral(args, true)}`,
      ];
    }
    case 'crash':
    case 'undocumented-exception':
      return [`    ${call}`];
    default:
      if (outcome.status === 'returned')
        return [`    assert _describe(${call}) != ${pythonLiteral(outcome.value, true)}`];
      return [`    ${call}`];
  }
}

function exceptionReference(type: string): string {
  return builtinExceptions.has(type) ? type : `getattr(subject, ${pythonString(type)}, Exception)`;
}

function isUndefined(value: EncodedValue): boolean {
  return value !== null && typeof value === 'object' && !Array.isArray(value) && value.$ === 'undefined';
}

function docString(text: string): string {
  return text.replace(/[\r\n\u2028\u2029]+/g, ' ').slice(0, 200);
}

/** A Python string literal with every non-ASCII character escaped (lone surrogates included). */
function pythonString(text: string): string {
  let literal = '"';
  for (let index = 0; index < text.length; index += 1) {
    const code = text.charCodeAt(index);
    const character = text[index] ?? '';
    if (character === '"' || character === '\\') literal += `\\${character}`;
    else if (code >= 0x20 && code < 0x7f) literal += character;
    else if (code === 0x0a) literal += '\\n';
    else if (code === 0x0d) literal += '\\r';
    else if (code === 0x09) literal += '\\t';
    else if (code < 0x100) literal += `\\x${code.toString(16).padStart(2, '0')}`;
    else if (
      code >= 0xd800 &&
      code <= 0xdbff &&
      index + 1 < text.length &&
      (text.charCodeAt(index + 1) & 0xfc00) === 0xdc00
    ) {
      const codePoint = text.codePointAt(index) ?? code;
      literal += `\\U${codePoint.toString(16).padStart(8, '0')}`;
      index += 1;
    } else literal += `\\u${code.toString(16).padStart(4, '0')}`;
  }
  return `${literal}"`;
}

/**
 * Python source for an encoded value. `asDescription` gives the describer's own form (the tagged JSON as
 * Python dicts and lists), used on the right of `==`; otherwise the actual Python value, used as arguments.
 */
function pythonLiteral(value: EncodedValue | EncodedValue[], asDescription = false): string {
  if (value === null) return 'None';
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  if (typeof value === 'number')
    return Number.isInteger(value) && !Object.is(value, -0) && Math.abs(value) < 1e21
      ? String(value)
      : pythonFloat(value);
  if (typeof value === 'string') return pythonString(value);
  if (Array.isArray(value)) return `[${value.map((item) => pythonLiteral(item, asDescription)).join(', ')}]`;
  if (asDescription) {
    const entries = Object.entries(value).map(
      ([key, item]) =>
        `${pythonString(key)}: ${typeof item === 'object' || typeof item === 'string' || typeof item === 'number' || typeof item === 'boolean' ? pythonLiteral(item, true) : 'None'}`,
    );
    return `{${entries.join(', ')}}`;
  }
  switch (value.$) {
    case 'nan':
      return "float('nan')";
    case 'infinity':
      return "float('inf')";
    case '-infinity':
      return "float('-inf')";
    case '-0':
      return '-0.0';
    case 'bigint':
      return value.v;
    case 'tuple':
      return value.v.length === 1
        ? `(${pythonLiteral(value.v[0] ?? null)},)`
        : `(${value.v.map((item) => pythonLiteral(item)).join(', ')})`;
    case 'set':
      return value.v.length === 0 ? 'set()' : `{${value.v.map((item) => pythonLiteral(item)).join(', ')}}`;
    case 'object': {
      const dict = `{${value.v.map(([key, item]) => `${pythonString(key)}: ${pythonLiteral(item)}`).join(', ')}}`;
      return value.class ? `_build(${pythonString(value.class)}, ${dict})` : dict;
    }
    case 'map':
      return `{${value.v.map(([key, item]) => `${pythonLiteral(key)}: ${pythonLiteral(item)}`).join(', ')}}`;
    case 'repeat':
      return `${pythonString(value.v)} * ${value.n}`;
    case 'array-repeat':
      return `[${pythonLiteral(value.v)} for _ in range(${value.n})]`;
    case 'nested':
      return `functools.reduce(lambda inner, _: [inner], range(${value.depth}), ${pythonLiteral(value.leaf)})`.replace(
        'functools.reduce',
        '__import__("functools").reduce',
      );
    case 'sparse':
      return `[${Array.from({ length: value.length }, (_, index) => pythonLiteral(value.v.find(([position]) => position === index)?.[1] ?? null)).join(', ')}]`;
    case 'date':
      return value.v === null
        ? "'invalid-date'"
        : `datetime.datetime.fromisoformat(${pythonString(value.v.replace('Z', '+00:00'))})`;
    case 'bytes':
      return `base64.b64decode(${pythonString(value.v)})`;
    default:
      return 'None';
  }
}

function pythonFloat(value: number): string {
  if (Object.is(value, -0)) return '-0.0';
  const text = String(value);
  return /[.e]/.test(text) ? text : `${text}.0`;
}
