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
export type {
  AttachOptions,
  DebugBackend,
  DebugLanguage,
  DebugEvent,
  EvaluateOptions,
  EvaluateResult,
  ExceptionFilter,
  LaunchOptions,
  SnapshotFrame,
  StateSnapshot,
  StopResult,
  VariableSummary,
  VariablesOptions,
  WaitOptions,
} from './debugger/debug-backend.ts';
export { snapshotLimits } from './debugger/debug-backend.ts';
export {
  createDebugBackend,
  debugLanguageOf,
  type PythonDebugBackendName,
} from './debugger/create-debug-backend.ts';
export {
  createDebugpyDebugBackend,
  type DebugpyDebugBackendOptions,
} from './debugger/debugpy-debug-backend.ts';
export { createJavaScriptDebugBackend } from './debugger/javascript-debug-backend.ts';
export {
  isLoopbackHost,
  resolveInspectorAddress,
  type InspectorTarget,
} from './debugger/resolve-inspector-address.ts';
export { startInspectedProgram, type InspectedProgram } from './debugger/start-inspected-program.ts';
export { createPythonDebugBackend, type PythonDebugBackendOptions } from './debugger/python-debug-backend.ts';
export {
  runToFailure,
  type RunToFailureOptions,
  type RunToFailureResult,
  type FailureFrame,
} from './debugger/run-to-failure.ts';
export {
  localize,
  type LocalizeOptions,
  type LocalizeResult,
  type LocalizeTest,
} from './debugger/localize.ts';
export {
  rankSuspiciousLines,
  type SuspiciousLine,
  type TestSpectrum,
} from './debugger/rank-suspicious-lines.ts';
export { scanSource, type ScanSourceOptions } from './security/scan-source.ts';
export { scanProject, type ScanProjectOptions, type SecurityScanCache } from './security/scan-project.ts';
export { findCandidateRules, type CandidateRules } from './security/find-candidate-rules.ts';
export { applyFixes } from './security/apply-fixes.ts';
export { toSarif } from './security/to-sarif.ts';
export { formatSecurityReport } from './security/format-security-report.ts';
export { createBaseline, type SecurityBaseline } from './security/baseline.ts';
export { loadSecurityRules, parseSecurityRuleFile } from './security/load-security-rules.ts';
export { securityRuleCatalogue, type SecurityRuleSummary } from './security/security-rule-catalogue.ts';
export { classifyMaliciousRequest, type MaliciousCategory } from './security/classify-malicious-request.ts';
export type {
  SecurityFinding,
  SecurityScanResult,
  TaintStep,
  SecurityFix,
  SecuritySeverity,
  SecurityConfidence,
} from './security/security-finding.ts';
export type { SecurityRule } from './security/security-rule.ts';
export { checkDependencies, type CheckDependenciesOptions } from './dependencies/check-dependencies.ts';
export type {
  DependencyCheckResult,
  DependencyReport,
  DependencyVerdict,
  DependencyRecommendation,
  ManifestEdit,
} from './dependencies/dependency-check-result.ts';
export type { RegistryClient, AdvisoryClient } from './dependencies/registry-client.ts';
export { createNpmRegistryClient } from './dependencies/npm-registry-client.ts';
export { createPypiRegistryClient } from './dependencies/pypi-registry-client.ts';
export { createNpmAdvisoryClient, createOsvAdvisoryClient } from './dependencies/advisory-clients.ts';
export { resolveNpmRegistryUrl } from './dependencies/resolve-npm-registry-url.ts';
export {
  startRecordedRegistryServer,
  createRecordedRegistryClient,
  type RecordedRegistryServer,
} from './dependencies/recorded-registry.ts';
export { applyDependencyEdits } from './dependencies/apply-dependency-edits.ts';
export { findDependenciesInText } from './dependencies/find-dependencies-in-text.ts';
export {
  rewriteInstallCommands,
  type InstallCommandChange,
} from './dependencies/rewrite-install-commands.ts';
export { formatDependencyReport } from './dependencies/format-dependency-report.ts';
export {
  createDependencyClients,
  type DependencyClientsOptions,
} from './dependencies/create-dependency-clients.ts';
export type {
  Ecosystem,
  PackageDocument,
  PackageVersion,
  Advisory,
} from './dependencies/package-document.ts';
export type {
  DeclaredDependency,
  DependencySource,
  InstallTool,
} from './dependencies/declared-dependency.ts';
export type { DependencyCheckName } from './dependencies/dependency-check-result.ts';
export { normalizePypiName } from './dependencies/pypi-registry-client.ts';
export { detectConfusableName, type ConfusableMatch } from './dependencies/detect-confusable-name.ts';
export { writeSyntheticProject } from './dependencies/synthetic-lockfile.ts';
export type {
  CodeLanguage,
  DefinitionFact,
  DefinitionKind,
  FileFacts,
  ImportFact,
  ImportKind,
  ReferenceFact,
  ReferenceKind,
  SourceRange,
  TableFact,
} from './code-graph/file-facts.ts';
export type { CodeGraphStore } from './code-graph/code-graph-store.ts';
export type { CodeGraph, CodeGraphEdge, FileDependency, GraphDefinition } from './code-graph/code-graph.ts';
export {
  createMemoryCodeGraphStore,
  validateChanges as validateCodeGraphChanges,
} from './code-graph/create-memory-code-graph-store.ts';
export { explainName } from './code-graph/explain/explain-name.ts';
export {
  resolveTarget,
  type ExplainTarget,
  type ResolvedTarget,
} from './code-graph/explain/resolve-target.ts';
export {
  explainTarget,
  type Citation,
  type ExplainOptions,
  type ExplainedUnit,
  type Explanation,
  type ReachingEntryPoint,
  type Relation,
} from './code-graph/explain/explain-target.ts';
export {
  findEntryPoints,
  type EntryPoint,
  type EntryPointKind,
} from './code-graph/explain/find-entry-points.ts';
export { formatExplanation } from './code-graph/explain/format-explanation.ts';
export {
  indexRepository,
  type IndexRepositoryOptions,
  type IndexRepositoryResult,
} from './code-graph/index-repository.ts';
export { buildCodeGraph, type BuildCodeGraphOptions } from './code-graph/build-code-graph.ts';
export { buildRepoMap } from './code-graph/build-repo-map.ts';
export {
  analyzeArchitecture,
  type AnalyzeArchitectureOptions,
} from './architecture/analyze/analyze-architecture.ts';
export type {
  ArchitectureReport,
  ArchitectureModule,
  ModuleLevel,
  ModuleDependency,
  ModuleImport,
  ModuleMetrics,
  DependencyCycle,
  LayerViolation,
  Hotspot,
  DeadCodeCandidate,
} from './architecture/analyze/architecture-report.ts';
export { loadLayerRules, parseLayerRules, type LayerRules } from './architecture/analyze/load-layer-rules.ts';
export { toMermaid } from './architecture/diagrams/to-mermaid.ts';
export { toD2 } from './architecture/diagrams/to-d2.ts';
export { toDot } from './architecture/diagrams/to-dot.ts';
export { renderSvg } from './architecture/diagrams/render-svg.ts';
export { collapseToFolders } from './architecture/diagrams/collapse-to-folders.ts';
export type {
  DiagramGraph,
  DiagramNode,
  DiagramEdge,
  DiagramOptions,
  DiagramText,
} from './architecture/diagrams/diagram-graph.ts';
export {
  extractFileFacts,
  languageOfPath,
  maximumFileCharacters,
  maximumLineCharacters,
} from './code-graph/extract-file-facts.ts';
export { languageSpecs, languageSpecOf, languageSpecForExtension } from './code-graph/languages/index.ts';
export type { LanguageSpec } from './code-graph/languages/language-spec.ts';
export { createCodeGraphCache, type CodeGraphCache } from './code-graph/create-code-graph-cache.ts';
export {
  listSourceFiles,
  type SourceFile,
  type SkippedFile,
  type SourceFileListing,
  type ListSourceFilesOptions,
} from './code-graph/list-source-files.ts';
export type { FileStatCache } from './code-graph/index-repository.ts';
export {
  readImportResolutionConfig,
  emptyImportResolutionConfig,
  type ImportResolutionConfig,
} from './code-graph/import-resolution-config.ts';
export { estimateTokens, type BuildRepoMapOptions, type RepoMap } from './code-graph/build-repo-map.ts';
export { personalizedPageRank } from './code-graph/personalized-page-rank.ts';
export {
  decompose,
  type DecomposeOptions,
  type DecompositionResult,
  type ProposedService,
  type CutEdge,
  type ServiceCall,
  type PublicInterfaceEntry,
} from './architecture/decompose/decompose.ts';
export {
  decompositionGraphFromCodeGraph,
  type DecompositionGraphOptions,
} from './architecture/decompose/decomposition-graph-from-code-graph.ts';
export type {
  DecompositionGraph,
  DecompositionUnit,
  DecompositionEdge,
} from './architecture/decompose/decomposition-graph.ts';
export {
  parseRuntimeTrace,
  mergeRuntimeTrace,
  runtimeTraceSchema,
  type RuntimeTrace,
} from './architecture/decompose/runtime-trace.ts';
export {
  accuracy as decompositionAccuracy,
  type AccuracyResult,
} from './architecture/decompose/decomposition-accuracy.ts';
export {
  decompositionMetrics,
  type DecompositionMetrics,
} from './architecture/decompose/decomposition-metrics.ts';
export { formatArchitectureReport } from './architecture/analyze/format-architecture-report.ts';
export { formatDecomposition } from './architecture/decompose/format-decomposition.ts';
