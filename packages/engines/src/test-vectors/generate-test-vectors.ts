import { createHash } from 'node:crypto';
import path from 'node:path';
import fc from 'fast-check';
import { PlumbError } from '@plumb/protocol';
import type { AnalyzedFunction, SourceAnalysis, VectorLanguage } from './analyzed-function.ts';
import { analyzeSourceFile } from './analyze-source-file.ts';
import { compareEncoded, elementsOf } from './conforms-to-shape.ts';
import type { EncodedValue } from './encoded-value.ts';
import type { Finding } from './finding.ts';
import { generateVectors } from './generate-vectors.ts';
import { encodedEqual, judgeRun, preview } from './judge-run.ts';
import { shapeArbitrary } from './shape-arbitrary.ts';
import type { TestVector } from './test-vector.ts';
import type { FunctionReport, TestVectorResult, VectorRun } from './test-vector-result.ts';
import { VectorExecutor } from './vector-executor.ts';
import type { VectorOutcome } from './vector-outcome.ts';
import type { IsolationMethod } from '../sandbox/detect-isolation.ts';

export interface GenerateTestVectorsOptions {
  /** The source file (.ts, .tsx, .mts, .cts, .js, .mjs, .cjs or .py). */
  file: string;
  /** Only these functions (`name` or `Class.method`); default: every exported one. */
  functions?: string[];
  /** Seed for every random choice; default 1. */
  seed?: number;
  /** Fixed-catalogue vectors per function; default 160. */
  budget?: number;
  /** Property-based runs per function (fast-check, shrunk on failure); default 40. */
  propertyRuns?: number;
  /** Per-call time limit; default 2,000 ms. */
  timeoutMs?: number;
  /** Differential mode: run the same vectors against this implementation and report every divergence. */
  referenceFile?: string;
  /** Regression mode: compare against a result produced earlier on a known-good version. */
  baseline?: TestVectorResult;
  pythonPath?: string;
  isolation?: IsolationMethod;
  signal?: AbortSignal;
}

const commutativeNames =
  /^(add|plus|sum|multiply|mul|times|max|min|gcd|lcm|hypot|distance|union|intersection|intersect|equals?|isEqual|same|overlaps?|hamming)$/i;
const roundTripPairs: [RegExp, string][] = [
  [/^encode(.*)$/i, 'decode$1'],
  [/^serialize(.*)$/i, 'deserialize$1'],
  [/^compress(.*)$/i, 'decompress$1'],
  [/^escape(.*)$/i, 'unescape$1'],
  [/^encrypt(.*)$/i, 'decrypt$1'],
  [/^stringify(.*)$/i, 'parse$1'],
  [/^to(.+)$/, 'from$1'],
];
const maximumFollowUps = 24;
const compactStringLength = 10_000;
const compactArrayLength = 2_000;

/**
 * The test-vector engine: analyse the file, generate the catalogue and property vectors for each function,
 * run every vector in a sandboxed executor, judge the outcomes (examples, declared types, documented
 * exceptions, crashes, hangs, metamorphic properties), and, in differential or regression mode, compare
 * against another implementation or an earlier result. Same file and seed give the same vectors.
 *
 * @example const result = await generateTestVectors({ file: 'src/slugify.ts', seed: 7 }); result.findings.length
 */
export async function generateTestVectors(options: GenerateTestVectorsOptions): Promise<TestVectorResult> {
  const seed = options.seed ?? 1;
  const isPython = path.extname(options.file).toLowerCase() === '.py';
  const pythonPath = isPython
    ? (await import('../languages/python/resolve-python-interpreter.ts')).resolvePythonInterpreter(
        options.pythonPath,
      )
    : (options.pythonPath ?? 'python3');
  const analysis = await analyzeSourceFile(options.file, { pythonPath });
  const warnings = [...analysis.warnings];
  const selected = selectFunctions(analysis, options.functions);
  const executorOptions = {
    language: analysis.language,
    pythonPath,
    timeoutMs: options.timeoutMs ?? 2_000,
    ...(options.isolation ? { isolation: options.isolation } : {}),
  };
  const executor = new VectorExecutor({ ...executorOptions, modulePath: analysis.file });
  let reference: VectorExecutor | undefined;
  try {
    const started = await executor.start();
    if ('importError' in started) {
      throw new PlumbError(
        'source_import_failed',
        `${analysis.file} could not be loaded: ${started.importError.type}: ${started.importError.message}`,
        { param: 'file' },
      );
    }
    if (executor.isolation === 'none')
      warnings.push(
        'No sandbox isolation is available here (install bubblewrap): the code under test can reach the network.',
      );
    if (options.referenceFile) {
      const referenceAnalysis = await analyzeSourceFile(options.referenceFile, { pythonPath });
      if (
        referenceAnalysis.language !== analysis.language &&
        !(isJavaScriptFamily(referenceAnalysis.language) && isJavaScriptFamily(analysis.language))
      ) {
        throw new PlumbError(
          'invalid_request',
          `The reference ${options.referenceFile} is ${referenceAnalysis.language}, the file is ${analysis.language}: compare implementations in the same language.`,
          { param: 'referenceFile' },
        );
      }
      reference = new VectorExecutor({ ...executorOptions, modulePath: referenceAnalysis.file });
      const referenceStarted = await reference.start();
      if ('importError' in referenceStarted) {
        throw new PlumbError(
          'source_import_failed',
          `${referenceAnalysis.file} could not be loaded: ${referenceStarted.importError.message}`,
          { param: 'referenceFile' },
        );
      }
      for (const fn of selected) {
        if (!referenceStarted.exports.includes(fn.name))
          warnings.push(`The reference has no ${fn.name}; it is not compared.`);
      }
    }
    const context: RunContext = {
      executor,
      reference,
      language: analysis.language,
      seed,
      signal: options.signal,
      propertyRuns: options.propertyRuns ?? 40,
      confirmedHangs: new Set(),
    };
    const reports: FunctionReport[] = [];
    for (const fn of selected) {
      options.signal?.throwIfAborted();
      if (
        fn.unsupported.length > 0 &&
        fn.parameters.some((parameter) => fn.unsupported.includes(parameter.name) && !parameter.optional)
      ) {
        warnings.push(
          `${fn.name} skipped: parameter${fn.unsupported.length > 1 ? 's' : ''} ${fn.unsupported.join(', ')} of unsupported type (${fn.parameters
            .filter((parameter) => fn.unsupported.includes(parameter.name))
            .map((parameter) => parameter.typeText)
            .join(', ')}).`,
        );
        continue;
      }
      reports.push(await testFunction(fn, analysis, context, options.budget));
    }
    if (options.baseline) applyBaseline(reports, options.baseline, warnings);
    for (const report of reports) compactRuns(report.runs);
    return {
      language: analysis.language,
      file: analysis.file,
      seed,
      mode: options.referenceFile ? 'differential' : options.baseline ? 'regression' : 'standard',
      ...(options.referenceFile ? { referenceFile: path.resolve(options.referenceFile) } : {}),
      functions: reports,
      findings: reports.flatMap((report) => report.findings),
      warnings,
    };
  } finally {
    executor.close();
    reference?.close();
  }
}

function isJavaScriptFamily(language: VectorLanguage): boolean {
  return language === 'typescript' || language === 'javascript';
}

function selectFunctions(analysis: SourceAnalysis, names: string[] | undefined): AnalyzedFunction[] {
  if (!names || names.length === 0) return analysis.functions;
  return names.map((name) => {
    const found = analysis.functions.find((fn) => fn.name === name);
    if (!found) {
      const available = analysis.functions.map((fn) => fn.name);
      throw new PlumbError(
        'function_not_found',
        `${path.basename(analysis.file)} has no exported function "${name}". ${available.length ? `Available: ${available.join(', ')}.` : 'It exports no functions.'}`,
        { param: 'function' },
      );
    }
    return found;
  });
}

interface RunContext {
  executor: VectorExecutor;
  reference: VectorExecutor | undefined;
  language: VectorLanguage;
  seed: number;
  signal: AbortSignal | undefined;
  propertyRuns: number;
  /** Functions with a hang already confirmed: their later timeouts need no second run. */
  confirmedHangs: Set<string>;
}

async function testFunction(
  fn: AnalyzedFunction,
  analysis: SourceAnalysis,
  context: RunContext,
  budget: number | undefined,
): Promise<FunctionReport> {
  const vectors = generateVectors(fn, {
    language: context.language,
    seed: context.seed,
    ...(budget ? { budget } : {}),
  });
  const runs: VectorRun[] = [];
  for (const vector of vectors) {
    context.signal?.throwIfAborted();
    runs.push(await runVector(fn, vector, context));
  }
  runs.push(...(await exploreProperties(fn, context, vectors.length)));
  runs.push(...(await runMetamorphic(fn, analysis, runs, context)));
  const findings = runs.flatMap((run) => run.findings);
  return {
    function: fn,
    runs,
    findings,
    counts: {
      vectors: runs.length,
      returned: runs.filter((run) => run.outcome.status === 'returned').length,
      threw: runs.filter((run) => run.outcome.status === 'threw').length,
      timeout: runs.filter((run) => run.outcome.status === 'timeout').length,
      crash: runs.filter((run) => run.outcome.status === 'crash').length,
    },
  };
}

function inputIsLarge(args: EncodedValue[]): boolean {
  return (
    JSON.stringify(args).length > 50_000 ||
    args.some(
      (argument) =>
        typeof argument === 'object' &&
        argument !== null &&
        !Array.isArray(argument) &&
        (argument.$ === 'repeat' || argument.$ === 'array-repeat') &&
        argument.n > 50_000,
    )
  );
}

/** How many times the time limit a suspected hang gets on its confirming run. */
const hangConfirmationFactor = 4;

async function runVector(fn: AnalyzedFunction, vector: TestVector, context: RunContext): Promise<VectorRun> {
  const request = {
    id: vector.id,
    function: fn.name,
    arguments: vector.arguments,
    repeat: inputIsLarge(vector.arguments) ? 1 : 2,
  } as const;
  let outcome = await context.executor.run(request);
  if (outcome.status === 'timeout' && vector.validity === 'valid' && !context.confirmedHangs.has(fn.name)) {
    // A loaded machine can push a legitimate large-input call past the limit: a function's first hang is only
    // reported when a second run with a budget several times longer also fails to return.
    outcome = await context.executor.run(request, context.executor.timeoutMs * hangConfirmationFactor);
    if (outcome.status === 'timeout') context.confirmedHangs.add(fn.name);
  }
  const judgement = judgeRun(fn, vector, outcome, context.language);
  const run: VectorRun = {
    vector,
    outcome,
    findings: judgement.findings,
    ...(judgement.robustnessNote ? { robustnessNote: judgement.robustnessNote } : {}),
  };
  if (context.reference) {
    const referenceOutcome = await context.reference.run({ ...request, repeat: 1 });
    run.referenceOutcome = referenceOutcome;
    const divergence = describeDivergence(outcome, referenceOutcome);
    if (divergence) {
      run.findings.push({
        kind: 'divergence',
        function: fn.name,
        vectorId: vector.id,
        severity: 'high',
        message: `differs from the reference for ${vector.rationale}: ${divergence}`,
      });
    }
  }
  return run;
}

/** Why two outcomes differ, or `undefined` when they agree. */
export function describeDivergence(actual: VectorOutcome, expected: VectorOutcome): string | undefined {
  if (actual.status !== expected.status)
    return `${summarizeOutcome(actual)} instead of ${summarizeOutcome(expected)}`;
  if (
    actual.status === 'returned' &&
    expected.status === 'returned' &&
    !encodedEqual(actual.value, expected.value)
  )
    return `returned ${preview(actual.value)} instead of ${preview(expected.value)}`;
  if (actual.status === 'threw' && expected.status === 'threw' && actual.error.type !== expected.error.type)
    return `threw ${actual.error.type} instead of ${expected.error.type}`;
  return undefined;
}

function summarizeOutcome(outcome: VectorOutcome): string {
  switch (outcome.status) {
    case 'returned':
      return `returned ${preview(outcome.value)}`;
    case 'threw':
      return `threw ${outcome.error.type}: ${outcome.error.message.slice(0, 120)}`;
    case 'timeout':
      return 'timed out';
    case 'crash':
      return 'crashed the process';
  }
}

/**
 * Property-based exploration with fast-check: arguments drawn from the declared types within the documented
 * preconditions; the first failing run (any finding, or a divergence in differential mode) is shrunk to a
 * minimal case by fast-check, re-run and recorded. Reproducible from the seed.
 */
async function exploreProperties(
  fn: AnalyzedFunction,
  context: RunContext,
  firstIndex: number,
): Promise<VectorRun[]> {
  if (context.propertyRuns <= 0 || fn.parameters.length === 0) return [];
  const parameters = fn.parameters.filter((parameter) => !parameter.rest);
  const arbitraries = parameters.map((parameter) =>
    shapeArbitrary(parameter.type, parameter.constraints, context.language),
  );
  const runs: VectorRun[] = [];
  let index = firstIndex;
  let shrinking = false;
  const makeVector = (args: EncodedValue[], rationale: string): TestVector => {
    index += 1;
    return {
      id: `${fn.name}#${index}`,
      function: fn.name,
      vectorClass: 'property',
      rationale,
      arguments: args,
      validity: 'valid',
    };
  };
  const property = fc.asyncProperty(fc.tuple(...arbitraries), async (args) => {
    const vector = makeVector(args, 'property-based exploration within the declared types');
    const run = await runVector(fn, vector, context);
    if (!shrinking) runs.push(run);
    else index -= 1;
    const failed = run.findings.length > 0;
    if (failed) shrinking = true;
    return !failed;
  });
  const details = await fc.check(property, {
    seed: context.seed,
    numRuns: context.propertyRuns,
    interruptAfterTimeLimit: 3_000,
    endOnFailure: false,
  });
  if (details.failed && details.counterexample) {
    const last = runs.at(-1);
    const minimal = details.counterexample[0];
    if (!last || JSON.stringify(last.vector.arguments) !== JSON.stringify(minimal)) {
      shrinking = false;
      const vector = makeVector(
        minimal,
        `minimal failing case after ${details.numShrinks} shrink steps (fast-check seed ${context.seed})`,
      );
      runs.push(await runVector(fn, vector, context));
    }
  }
  return runs;
}

/** Follow-up runs for metamorphic relations implied by the function's name and shape. */
async function runMetamorphic(
  fn: AnalyzedFunction,
  analysis: SourceAnalysis,
  runs: VectorRun[],
  context: RunContext,
): Promise<VectorRun[]> {
  const followUps: VectorRun[] = [];
  let index = runs.length;
  const shortName = fn.name.split('.').pop() ?? fn.name;
  const candidates = runs.filter(
    (run) =>
      run.vector.validity === 'valid' &&
      run.outcome.status === 'returned' &&
      run.vector.vectorClass !== 'example' &&
      !inputIsLarge(run.vector.arguments),
  );
  const record = async (
    args: EncodedValue[],
    rationale: string,
    check: (outcome: VectorOutcome) => string | undefined,
    callee = fn,
  ) => {
    index += 1;
    const vector: TestVector = {
      id: `${fn.name}#${index}`,
      function: callee.name,
      vectorClass: 'metamorphic',
      rationale,
      arguments: args,
      validity: 'valid',
    };
    const outcome = await context.executor.run({
      id: vector.id,
      function: callee.name,
      arguments: args,
      repeat: 1,
    });
    const judgement = judgeRun(callee, vector, outcome, context.language);
    const problem = check(outcome);
    if (problem)
      judgement.findings.push({
        kind: 'metamorphic',
        function: fn.name,
        vectorId: vector.id,
        severity: 'high',
        message: problem,
      });
    followUps.push({ vector, outcome, findings: judgement.findings });
  };

  // Sorting: a permutation of its input, and idempotent.
  const firstArray = fn.parameters[0]?.type.kind === 'array';
  if (/sort/i.test(shortName) && firstArray && ['array', 'any', 'union'].includes(fn.returns.type.kind)) {
    for (const run of candidates.slice(0, maximumFollowUps)) {
      if (run.outcome.status !== 'returned') continue;
      const input = elementsOf(run.vector.arguments[0] ?? null);
      const output = elementsOf(run.outcome.value);
      if (!input || !output || !Array.isArray(run.outcome.value)) continue;
      const sortedKeys = (values: EncodedValue[]) =>
        values
          .map((value) => JSON.stringify(value))
          .sort()
          .join('\n');
      if (sortedKeys(input) !== sortedKeys(output)) {
        run.findings.push({
          kind: 'metamorphic',
          function: fn.name,
          vectorId: run.vector.id,
          severity: 'high',
          message: `the output ${preview(run.outcome.value)} is not a permutation of the input ${preview(run.vector.arguments[0] ?? null)}`,
        });
      } else if (!isMonotonic(output)) {
        run.findings.push({
          kind: 'metamorphic',
          function: fn.name,
          vectorId: run.vector.id,
          severity: 'high',
          message: `the output ${preview(run.outcome.value)} of a sorting function is in neither ascending nor descending order`,
        });
      }
      const sortedOnce = run.outcome.value;
      await record(
        [sortedOnce, ...run.vector.arguments.slice(1)],
        'sorting an already sorted result must not change it (idempotence)',
        (outcome) =>
          outcome.status === 'returned' && !encodedEqual(outcome.value, sortedOnce)
            ? `sorting its own output ${preview(sortedOnce)} gave ${preview(outcome.value)}: not idempotent`
            : undefined,
      );
      if (followUps.length >= maximumFollowUps) break;
    }
  }

  // Commutative binary operations.
  const [left, right] = fn.parameters;
  if (
    commutativeNames.test(shortName) &&
    fn.parameters.length === 2 &&
    left &&
    right &&
    JSON.stringify(left.type) === JSON.stringify(right.type)
  ) {
    for (const run of candidates.slice(0, maximumFollowUps)) {
      if (run.outcome.status !== 'returned' || run.vector.arguments.length !== 2) continue;
      const value = run.outcome.value;
      const [a = null, b = null] = run.vector.arguments;
      await record([b, a], `${shortName} should not depend on argument order (commutativity)`, (outcome) =>
        outcome.status === 'returned' && !encodedEqual(outcome.value, value)
          ? `${shortName}(${preview(a)}, ${preview(b)}) = ${preview(value)} but ${shortName}(${preview(b)}, ${preview(a)}) = ${preview(outcome.value)}`
          : undefined,
      );
    }
  }

  // Round trips between functions of the same module: decode(encode(x)) == x.
  for (const [pattern, replacement] of roundTripPairs) {
    if (!pattern.test(shortName)) continue;
    const inverseName = shortName.replace(pattern, replacement);
    const inverse = analysis.functions.find(
      (other) => other.name.toLowerCase() === fn.name.replace(shortName, inverseName).toLowerCase(),
    );
    if (!inverse || fn.parameters.length !== 1) continue;
    for (const run of candidates.slice(0, maximumFollowUps)) {
      if (run.outcome.status !== 'returned') continue;
      const original = run.vector.arguments[0] ?? null;
      await record(
        [run.outcome.value],
        `${inverse.name}(${fn.name}(x)) must give x back (round trip)`,
        (outcome) => {
          if (outcome.status === 'threw')
            return `${inverse.name} threw ${outcome.error.type} on the output of ${fn.name}(${preview(original)})`;
          return outcome.status === 'returned' && !encodedEqual(outcome.value, original)
            ? `${inverse.name}(${fn.name}(${preview(original)})) gave ${preview(outcome.value)}`
            : undefined;
        },
        inverse,
      );
    }
    break;
  }
  return followUps;
}

/** Whether scalar elements are in non-decreasing or non-increasing order (objects are not judged). */
function isMonotonic(values: EncodedValue[]): boolean {
  if (values.some((value) => value !== null && typeof value === 'object')) return true;
  let ascending = true;
  let descending = true;
  for (let index = 1; index < values.length; index += 1) {
    const order = compareEncoded(values[index - 1] ?? null, values[index] ?? null);
    if (order > 0) ascending = false;
    if (order < 0) descending = false;
  }
  return ascending || descending;
}

function applyBaseline(reports: FunctionReport[], baseline: TestVectorResult, warnings: string[]): void {
  const previous = new Map<string, VectorRun>();
  for (const report of baseline.functions) for (const run of report.runs) previous.set(run.vector.id, run);
  let compared = 0;
  for (const report of reports) {
    for (const run of report.runs) {
      const before = previous.get(run.vector.id);
      if (!before || JSON.stringify(before.vector.arguments) !== JSON.stringify(run.vector.arguments))
        continue;
      compared += 1;
      const difference = describeDivergence(run.outcome, before.outcome);
      if (difference && !isCompacted(before.outcome)) {
        const finding: Finding = {
          kind: 'regression',
          function: report.function.name,
          vectorId: run.vector.id,
          severity: 'high',
          message: `changed since the baseline for ${run.vector.rationale}: ${difference}`,
        };
        run.findings.push(finding);
        report.findings.push(finding);
      }
    }
  }
  if (compared === 0)
    warnings.push(
      'No vector of the baseline matches this run (different seed or signatures): nothing was compared.',
    );
}

function isCompacted(outcome: VectorOutcome): boolean {
  return outcome.status === 'returned' && JSON.stringify(outcome.value).includes('"$":"truncated"');
}

/** Replaces huge returned values with a fingerprint so results stay small enough to store and send. */
function compactRuns(runs: VectorRun[]): void {
  for (const run of runs) {
    if (run.outcome.status === 'returned') {
      run.outcome.value = compactValue(run.outcome.value);
      if (run.outcome.secondValue !== undefined)
        run.outcome.secondValue = compactValue(run.outcome.secondValue);
    }
    if (run.referenceOutcome?.status === 'returned')
      run.referenceOutcome.value = compactValue(run.referenceOutcome.value);
  }
}

function compactValue(value: EncodedValue): EncodedValue {
  const fingerprint = (text: string) => createHash('sha256').update(text).digest('hex').slice(0, 16);
  if (typeof value === 'string' && value.length > compactStringLength) {
    return { $: 'truncated', reason: `string of ${value.length} characters, sha256 ${fingerprint(value)}` };
  }
  if (Array.isArray(value) && value.length > compactArrayLength) {
    return {
      $: 'truncated',
      reason: `array of ${value.length} elements, sha256 ${fingerprint(JSON.stringify(value))}`,
    };
  }
  return value;
}
