import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { EncodedValue } from './encoded-value.ts';
import type { EmittedFile } from './emit-vitest.ts';
import type { Finding } from './finding.ts';
import type { FunctionReport, TestVectorResult, VectorRun } from './test-vector-result.ts';
import type { TypeShape } from './type-shape.ts';

/** Built-in exception names pytest can reference directly (Python 3.9 to 3.13). */
const builtinExceptions = new Set([
  'ArithmeticError', 'AssertionError', 'AttributeError', 'BaseException', 'BlockingIOError', 'BrokenPipeError',
  'BufferError', 'ChildProcessError', 'ConnectionAbortedError', 'ConnectionError', 'ConnectionRefusedError',
  'ConnectionResetError', 'EOFError', 'EnvironmentError', 'Exception', 'FileExistsError', 'FileNotFoundError',
  'FloatingPointError', 'GeneratorExit', 'IOError', 'ImportError', 'IndentationError', 'IndexError',
  'InterruptedError', 'IsADirectoryError', 'KeyError', 'KeyboardInterrupt', 'LookupError', 'MemoryError',
  'ModuleNotFoundError', 'NameError', 'NotADirectoryError', 'NotImplementedError', 'OSError', 'OverflowError',
  'PermissionError', 'ProcessLookupError', 'RecursionError', 'ReferenceError', 'RuntimeError', 'StopAsyncIteration',
  'StopIteration', 'SyntaxError', 'SystemError', 'SystemExit', 'TabError', 'TimeoutError', 'TypeError',
  'UnboundLocalError', 'UnicodeDecodeError', 'UnicodeEncodeError', 'UnicodeError', 'UnicodeTranslateError',
  'ValueError', 'ZeroDivisionError',
]); // prettier-ignore

/**
 * The executor's shared region (describer, callable resolution, argument binding, materialisation), copied
 * verbatim so an emitted test sees values exactly as the executor did.
 */
const sharedExecutorSource = (() => {
  const source = readFileSync(new URL('./executors/python-executor.py', import.meta.url), 'utf8');
  const match = /# plumb:shared-begin\n([\s\S]*?)# plumb:shared-end\n/.exec(source);
  if (!match?.[1]) throw new Error('python-executor.py lost its plumb:shared-begin/end region');
  return match[1].trimEnd();
})();

/** Helpers of the emitted suite on top of the shared region. */
const suiteHelpers = String.raw`
def _call(name, *arguments):
    function = _resolve(subject, name)
    positional, keywords = _split_arguments(function, arguments)
    return _materialise(function(*positional, **keywords))


def _bytes(text):
    return _base64.b64decode(text)


def _nested(depth, leaf):
    for _ in range(depth):
        leaf = [leaf]
    return leaf


def _sparse(length, entries):
    items = [None] * length
    for index, item in entries.items():
        items[index] = item
    return items


def _exception_type(name):
    # The class the executor saw by name: the module's own, else any loaded module's, else never matched.
    found = getattr(subject, name, None)
    if isinstance(found, type) and issubclass(found, BaseException):
        return found
    for module in list(sys.modules.values()):
        found = getattr(module, name, None)
        if isinstance(found, type) and issubclass(found, BaseException):
            return found
    return type(name, (Exception,), {})


def _conforms(described, shape):
    """Whether a described value has the declared type (as the engine's type oracle reads Python values)."""
    kind = shape["kind"]
    tag = described.get("$") if isinstance(described, dict) else None
    if tag in ("truncated", "opaque") or kind in ("any", "unsupported"):
        return True
    if kind in ("void", "undefined", "null"):
        return described is None
    if kind == "boolean":
        return isinstance(described, bool)
    if kind == "literal":
        return type(described) is type(shape["value"]) and described == shape["value"]
    if kind == "number":
        if isinstance(described, bool):
            return False
        if isinstance(described, (int, float)):
            return not shape.get("integer") or float(described).is_integer()
        return tag == "bigint" or (not shape.get("integer") and tag in ("-0", "nan", "infinity", "-infinity"))
    if kind == "bigint":
        return tag == "bigint" or (isinstance(described, int) and not isinstance(described, bool))
    if kind == "string":
        return isinstance(described, str)
    if kind == "date":
        return tag == "date"
    if kind == "union":
        return any(_conforms(described, option) for option in shape["options"])
    if kind == "array":
        return isinstance(described, list) and all(_conforms(item, shape["element"]) for item in described)
    if kind == "tuple":
        return tag == "tuple" and len(described["v"]) == len(shape["elements"]) and all(
            _conforms(item, element) for item, element in zip(described["v"], shape["elements"])
        )
    if kind == "set":
        return tag == "set" and all(_conforms(item, shape["element"]) for item in described["v"])
    if kind == "record":
        return tag == "object" and all(_conforms(item, shape["value"]) for _, item in described["v"])
    if kind == "object":
        entries = dict(described["v"]) if tag == "object" else None
        return entries is not None and all(
            _conforms(entries[p["name"]], p["type"]) if p["name"] in entries else p["optional"]
            for p in shape["properties"]
        )
    return True


def _finite(described):
    if isinstance(described, dict):
        if described.get("$") in ("nan", "infinity", "-infinity"):
            return False
        return all(_finite(item) for item in described.values() if isinstance(item, (list, dict)))
    if isinstance(described, list):
        return all(_finite(item) for item in described)
    return True
`;

/**
 * Emits a pytest suite pinning the behaviour of every executed vector of a Python module (characterisation):
 * returned values compared through `_describe`, the executor's own describer inlined in the suite; exceptions
 * by exact type. Vectors with findings assert the correct behaviour under `xfail(strict=True)`, so the suite
 * passes as emitted and a fixed bug turns its test red. Hangs, crashes, exhausted stacks or memory and
 * non-deterministic calls are skipped with the reason. Pure (returns the files) and deterministic.
 *
 * @example emitPytest(result, { emitDirectory: 'tests/vectors' })[0]?.path // => '/abs/tests/vectors/test_tax_vectors.py'
 */
export function emitPytest(result: TestVectorResult, options: { emitDirectory: string }): EmittedFile[] {
  const emitDirectory = path.resolve(options.emitDirectory);
  const moduleName = path.basename(result.file).replace(/\.py$/, '');
  const toPosix = (file: string) => path.relative(emitDirectory, file).split(path.sep).join('/') || '.';
  const relativeSource = toPosix(result.file);
  const regenerate = [
    `plumb vectors ${relativeSource}`,
    ...(result.referenceFile ? [`--against ${toPosix(result.referenceFile)}`] : []),
    `--seed ${result.seed} --emit .`,
  ].join(' ');
  const lines: string[] = [
    `# Generated by Plumb from ${path.basename(result.file)} with seed ${result.seed} (${result.mode} mode). Do not edit:`,
    `# regenerate from this directory with \`${regenerate}\`.`,
    '# Each test pins the behaviour observed when its vector ran. Tests marked xfail(strict=True) are findings:',
    '# they assert the correct behaviour, pass while the bug is there, and fail once it is fixed.',
    'import importlib.util',
    'import pathlib',
    'import sys',
    '',
    'import pytest',
    '',
    sharedExecutorSource,
    '',
    '',
    `_SOURCE = (pathlib.Path(__file__).resolve().parent / ${pythonString(relativeSource)}).resolve()`,
    'sys.path.insert(0, str(_SOURCE.parent))',
    `_spec = importlib.util.spec_from_file_location(${pythonString(moduleName)}, _SOURCE)`,
    'subject = importlib.util.module_from_spec(_spec)',
    `sys.modules[${pythonString(moduleName)}] = subject`,
    '_spec.loader.exec_module(subject)',
    suiteHelpers,
  ];
  const usedNames = new Set<string>();
  for (const report of result.functions) {
    report.runs.forEach((run, index) => {
      const base = `test_${identifier(report.function.name)}_${index + 1}_${identifier(run.vector.vectorClass)}`;
      let name = base;
      for (let suffix = 2; usedNames.has(name); suffix += 1) name = `${base}_${suffix}`;
      usedNames.add(name);
      lines.push('', '', ...emitRun(name, report, run));
    });
  }
  return [
    {
      path: path.join(emitDirectory, `test_${identifier(moduleName)}_vectors.py`),
      contents: `${lines.join('\n').trimEnd()}\n`,
    },
  ];
}

function emitRun(testName: string, report: FunctionReport, run: VectorRun): string[] {
  const { vector, outcome } = run;
  const header = (decorator?: string) => [
    ...(decorator ? [decorator] : []),
    `def ${testName}():`,
    `    # ${oneLine(`${vector.id} (${vector.vectorClass}, ${vector.validity}): ${vector.rationale}`)}`,
  ];
  const skip = (reason: string) => [
    ...header(`@pytest.mark.skip(reason=${pythonString(oneLine(reason))})`),
    '    pass',
  ];
  const args = callArguments(vector.arguments);
  const call = `_call(${[pythonString(vector.function), ...args.map((value) => pythonLiteral(value))].join(', ')})`;
  const finding: Finding | undefined = run.findings[0];
  if (outcome.status === 'timeout') return skip('did not return in time when the vector ran');
  if (outcome.status === 'crash') return skip('crashed the executor process when the vector ran');
  if (
    outcome.status === 'threw' &&
    (outcome.error.type === 'MemoryError' || outcome.error.type === 'RecursionError')
  )
    // Without the executor's memory cap and fresh process these would exhaust the test run instead.
    return skip(
      `exhausts ${outcome.error.type === 'MemoryError' ? 'memory' : 'the stack'}: ${vector.rationale}`,
    );
  if (finding && ['non-determinism', 'slow', 'hang'].includes(finding.kind))
    return skip(`finding: ${finding.kind}: ${finding.message}`);
  // One non-deterministic call makes every pinned value of the function a coin toss.
  if (report.findings.some((other) => other.kind === 'non-determinism'))
    return skip(
      'the function is non-deterministic (see its non-determinism finding): pinned values would be flaky',
    );
  if (outcome.status === 'returned' && outcome.secondValue !== undefined)
    return skip('two calls with the same arguments returned different values');
  if (finding) {
    const reason = `finding: ${finding.kind}: ${oneLine(finding.message)}`;
    return [
      ...header(`@pytest.mark.xfail(strict=True, reason=${pythonString(reason)})`),
      ...correctBehaviour(report, run, finding, call, args),
    ];
  }
  if (outcome.status === 'threw') return [...header(), ...raises(outcome.error.type, call)];
  if (containsTag(outcome.value, 'truncated'))
    // Too large to pin: the test still proves the call completes.
    return [...header(), `    ${call}`];
  return [...header(), `    assert _describe(${call}) == ${describedLiteral(outcome.value)}`];
}

/**
 * The correct behaviour a finding says is missing. When the call returned, the test also asserts that the
 * value differs from the one observed, so the strict xfail holds as emitted even where Python's equality is
 * looser than the engine's (True == 1), and the test passes only once the behaviour really changes.
 */
function correctBehaviour(
  report: FunctionReport,
  run: VectorRun,
  finding: Finding,
  call: string,
  args: EncodedValue[],
): string[] {
  const { vector, outcome } = run;
  if (finding.kind === 'input-mutation')
    return [
      `    arguments = [${args.map((value) => pythonLiteral(value)).join(', ')}]`,
      '    before = [_describe(argument) for argument in arguments]',
      `    _call(${pythonString(vector.function)}, *arguments)`,
      '    assert [_describe(argument) for argument in arguments] == before',
    ];
  if (finding.kind === 'crash' || finding.kind === 'undocumented-exception') return [`    ${call}`];
  let expectation:
    { kind: 'returns'; value: EncodedValue } | { kind: 'throws'; errorType: string } | undefined;
  if (finding.kind === 'example-mismatch') expectation = vector.expected;
  else if (finding.kind === 'divergence' && run.referenceOutcome?.status === 'returned')
    expectation = { kind: 'returns', value: run.referenceOutcome.value };
  else if (finding.kind === 'divergence' && run.referenceOutcome?.status === 'threw')
    expectation = { kind: 'throws', errorType: run.referenceOutcome.error.type };
  if (expectation?.kind === 'throws') return raises(expectation.errorType, call);
  if (outcome.status !== 'returned') return [`    _describe(${call})`];
  const lines = [
    `    described = _describe(${call})`,
    `    assert described != ${describedLiteral(outcome.value)}`,
  ];
  if (expectation) lines.push(`    assert described == ${describedLiteral(expectation.value)}`);
  else if (finding.kind === 'type-violation')
    lines.push(`    assert _conforms(described, ${shapeLiteral(report.function.returns.type)})`);
  else if (finding.kind === 'non-finite-result') lines.push('    assert _finite(described)');
  return lines;
}

function raises(type: string, call: string): string[] {
  if (builtinExceptions.has(type)) return [`    with pytest.raises(${type}):`, `        ${call}`];
  // Exact type by name: another module's exception of the same name must not satisfy the test.
  return [
    `    with pytest.raises(_exception_type(${pythonString(type)})) as caught:`,
    `        ${call}`,
    `    assert caught.type.__name__ == ${pythonString(type)}`,
  ];
}

/** The executor stops passing positional arguments at the first `undefined`; so does the emitted call. */
function callArguments(values: EncodedValue[]): EncodedValue[] {
  const end = values.findIndex((value) => tagOf(value) === 'undefined');
  return end === -1 ? values : values.slice(0, end);
}

function tagOf(value: EncodedValue): string | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? value.$ : undefined;
}

function containsTag(value: EncodedValue, tag: string): boolean {
  if (Array.isArray(value)) return value.some((item) => containsTag(item, tag));
  if (value === null || typeof value !== 'object') return false;
  if (value.$ === tag) return true;
  return (
    'v' in value &&
    Array.isArray(value.v) &&
    (value.v as EncodedValue[]).some((item) => containsTag(item, tag))
  );
}

function identifier(text: string): string {
  return text.replace(/\W/g, '_');
}

function oneLine(text: string): string {
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
    else if (code >= 0xd800 && code <= 0xdbff && (text.charCodeAt(index + 1) & 0xfc00) === 0xdc00) {
      literal += `\\U${(text.codePointAt(index) ?? code).toString(16).padStart(8, '0')}`;
      index += 1;
    } else literal += `\\u${code.toString(16).padStart(4, '0')}`;
  }
  return `${literal}"`;
}

/** A long string made of one short unit repeated (typical of oversized vectors) as `unit * count`. */
function compactString(text: string): string {
  if (text.length > 256) {
    for (let period = 1; period <= 64 && period * 2 <= text.length; period += 1) {
      if (text.length % period !== 0) continue;
      const unit = text.slice(0, period);
      if (unit.repeat(text.length / period) === text)
        return `${pythonString(unit)} * ${text.length / period}`;
    }
  }
  return pythonString(text);
}

function pythonNumber(value: number): string {
  if (Object.is(value, -0)) return '-0.0';
  // Python ints beyond 2**53 travel as bigint tags, so a plain JSON number that large was a float.
  if (Number.isInteger(value) && Math.abs(value) <= 2 ** 53) return String(value);
  const text = String(value);
  return /[.e]/.test(text) ? text : `${text}.0`;
}

/** Python source for the value an encoded argument decodes to (as python-executor.py decodes it). */
function pythonLiteral(value: EncodedValue): string {
  if (value === null) return 'None';
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  if (typeof value === 'number') return pythonNumber(value);
  if (typeof value === 'string') return compactString(value);
  if (Array.isArray(value)) return `[${value.map((item) => pythonLiteral(item)).join(', ')}]`;
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
      return value.class ? `_build(subject, ${pythonString(value.class)}, ${dict})` : dict;
    }
    case 'map':
      return `{${value.v.map(([key, item]) => `${pythonLiteral(key)}: ${pythonLiteral(item)}`).join(', ')}}`;
    case 'repeat':
      return `${pythonString(value.v)} * ${value.n}`;
    case 'array-repeat':
      return `[${pythonLiteral(value.v)} for _ in range(${value.n})]`;
    case 'nested':
      return `_nested(${value.depth}, ${pythonLiteral(value.leaf)})`;
    case 'sparse':
      return `_sparse(${value.length}, {${value.v.map(([index, item]) => `${index}: ${pythonLiteral(item)}`).join(', ')}})`;
    case 'date':
      return value.v === null ? '_date(None)' : `_date(${pythonString(value.v)})`;
    case 'bytes':
      return `_bytes(${pythonString(value.v)})`;
    default:
      // `undefined` inside a collection decodes to None; result-only tags are never arguments.
      return 'None';
  }
}

/** Python source for a description as `_describe` returns it: the tagged JSON as dicts and lists. */
function describedLiteral(value: EncodedValue): string {
  if (value === null || typeof value !== 'object') return pythonLiteral(value);
  if (Array.isArray(value)) return `[${value.map((item) => describedLiteral(item)).join(', ')}]`;
  const entries = Object.entries(value).map(
    ([key, item]) => `${pythonString(key)}: ${describedLiteral(item)}`,
  );
  return `{${entries.join(', ')}}`;
}

function shapeLiteral(shape: TypeShape): string {
  return describedLiteral(shape as unknown as EncodedValue);
}
