export type {
  SourceAnalysis,
  AnalyzedFunction,
  AnalyzedParameter,
  DocumentedExample,
  VectorLanguage,
} from './test-vectors/analyzed-function.ts';
export type { EncodedValue } from './test-vectors/encoded-value.ts';
export type { Finding, FindingKind } from './test-vectors/finding.ts';
export type { TestVector, VectorClass } from './test-vectors/test-vector.ts';
export type { VectorOutcome } from './test-vectors/vector-outcome.ts';
export type { TestVectorResult, FunctionReport, VectorRun } from './test-vectors/test-vector-result.ts';
export type { TypeShape, ParameterConstraints } from './test-vectors/type-shape.ts';
export { analyzeSourceFile, supportedExtensions } from './test-vectors/analyze-source-file.ts';
export {
  generateTestVectors,
  type GenerateTestVectorsOptions,
} from './test-vectors/generate-test-vectors.ts';
export { generateVectors } from './test-vectors/generate-vectors.ts';
export { emitVitest, type EmittedFile } from './test-vectors/emit-vitest.ts';
export { emitPytest } from './test-vectors/emit-pytest.ts';
export { resolvePythonInterpreter } from './languages/python/resolve-python-interpreter.ts';
export { formatVectorSummary } from './test-vectors/format-vector-summary.ts';
export { parsePreconditions } from './test-vectors/parse-preconditions.ts';
export {
  spawnSandboxed,
  killProcessGroup,
  type SandboxOptions,
  type SandboxedProcess,
} from './sandbox/spawn-sandboxed.ts';
export { detectIsolation, type IsolationMethod } from './sandbox/detect-isolation.ts';
