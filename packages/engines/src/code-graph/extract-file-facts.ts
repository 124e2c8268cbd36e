import { createHash } from 'node:crypto';
import { Parser } from 'web-tree-sitter';
import type { Node, Tree } from 'web-tree-sitter';
import { extractDefinitions, isTypeLikeKind } from './extract-definitions.ts';
import type { ExtractedDefinitions } from './extract-definitions.ts';
import { createEnclosingDefinitionFinder } from './extract-enclosing-definition.ts';
import { extractParseErrors } from './extract-parse-errors.ts';
import { extractReferences } from './extract-references.ts';
import { extractSqlTables } from './extract-sql-tables.ts';
import type { CodeLanguage, FileFacts, ImportFact, TableFact } from './file-facts.ts';
import { languageSpecForExtension } from './languages/index.ts';
import type { LanguageSpec } from './languages/language-spec.ts';
import { loadGrammar } from './load-grammar.ts';
import { specMatches } from './extract-spec-matches.ts';

/** Larger files are generated or data, not code worth a graph node per definition. */
export const maximumFileCharacters = 1_000_000;
/** A longer line means minified or generated output. */
export const maximumLineCharacters = 5_000;

const parsers = new Map<CodeLanguage, Parser>();

/**
 * The language of a file by its extension, or undefined when no spec handles it.
 *
 * @example
 * languageOfPath('src/app.tsx'); // 'tsx'
 */
export function languageOfPath(path: string): CodeLanguage | undefined {
  return specOfPath(path)?.language;
}

function specOfPath(path: string): LanguageSpec | undefined {
  const fileName = path.slice(path.lastIndexOf('/') + 1);
  const dot = fileName.lastIndexOf('.');
  return dot <= 0 ? undefined : languageSpecForExtension(fileName.slice(dot).toLowerCase());
}

async function parserFor(spec: LanguageSpec): Promise<Parser> {
  const language = await loadGrammar(spec.grammar);
  let parser = parsers.get(spec.language);
  if (!parser) {
    parser = new Parser();
    parser.setLanguage(language);
    parsers.set(spec.language, parser);
  }
  return parser;
}

function longestLine(content: string): number {
  let longest = 0;
  let start = 0;
  while (start <= content.length) {
    let end = content.indexOf('\n', start);
    if (end === -1) end = content.length;
    if (end - start > longest) longest = end - start;
    start = end + 1;
  }
  return longest;
}

function countLines(content: string): number {
  if (content.length === 0) return 0;
  let lines = 1;
  for (let index = content.indexOf('\n'); index !== -1; index = content.indexOf('\n', index + 1)) lines += 1;
  return content.endsWith('\n') ? lines - 1 : lines;
}

const sharedTestFolders = /(^|\/)(__tests__|tests?|spec|src\/test)\//;

function isTestFile(spec: LanguageSpec, path: string, imports: ImportFact[]): boolean {
  const fileName = path.slice(path.lastIndexOf('/') + 1);
  if (spec.isTestFileName(fileName) || sharedTestFolders.test(path)) return true;
  return imports.some(({ specifier }) =>
    spec.testFrameworks.some(
      (framework) =>
        specifier === framework ||
        specifier.startsWith(`${framework}.`) ||
        specifier.startsWith(`${framework}/`),
    ),
  );
}

/** Cyclomatic complexity: each decision point counts once for the innermost function-like definition around it and once for every enclosing class-like one. */
function addComplexity(
  extracted: ExtractedDefinitions,
  decisions: Node[],
  enclosing: (index: number) => number,
): void {
  for (const decision of decisions) {
    let countedFunction = false;
    for (
      let index = enclosing(decision.startIndex);
      index !== -1;
      index = extracted.extents[index]!.container
    ) {
      const definition = extracted.definitions[index]!;
      if (isTypeLikeKind(definition.kind)) definition.complexity += 1;
      else if (!countedFunction) {
        definition.complexity += 1;
        countedFunction = true;
      }
    }
  }
}

function factsFromTree(tree: Tree, spec: LanguageSpec, path: string, content: string): FileFacts {
  const root = tree.rootNode;
  const language = tree.language;
  const matches = specMatches(language, spec, root);
  const extracted = extractDefinitions({ root, matches: matches.definitions, spec, path, content });
  const enclosing = createEnclosingDefinitionFinder(extracted.extents);
  const references = extractReferences({ matches: matches.references, extracted, enclosing });
  const decisions = matches.decisionPoints.flatMap((match) =>
    match.captures.filter((capture) => capture.name === 'decision').map((capture) => capture.node),
  );
  addComplexity(extracted, decisions, enclosing);

  const imports: ImportFact[] = [];
  for (const capture of matches.imports.flatMap((match) => match.captures)) {
    if (capture.name !== 'import') continue;
    for (const fact of spec.readImports(capture.node))
      imports.push({ ...fact, line: capture.node.startPosition.row + 1 });
  }

  const tables: TableFact[] = [];
  for (const capture of matches.strings.flatMap((match) => match.captures)) {
    if (capture.name !== 'string') continue;
    const literal = capture.node;
    // Nested literals (template substitutions) are captured on their own; scanning the outer text is enough.
    for (const table of extractSqlTables(literal.text, literal.startPosition.row + 1)) {
      const index = enclosing(literal.startIndex);
      tables.push({ ...table, ...(index === -1 ? {} : { enclosing: extracted.definitions[index]!.id }) });
    }
  }

  const packageName = spec.packageName?.(root, path);
  return {
    path,
    language: spec.language,
    hash: createHash('sha256').update(content).digest('hex'),
    lines: countLines(content),
    ...(packageName ? { packageName } : {}),
    isTest: isTestFile(spec, path, imports),
    definitions: extracted.definitions,
    imports,
    references,
    tables,
    parseErrors: extractParseErrors(root),
  };
}

/**
 * Parses one source file and extracts its definitions, imports, references and SQL tables. Unsupported,
 * binary, enormous and minified files give no facts and a warning; files with syntax errors give the facts
 * the parser recovered, their error positions, and a warning.
 *
 * @example
 * const { facts, warnings } = await extractFileFacts({ path: 'src/orders/order-service.ts', content });
 * facts?.definitions.map((definition) => definition.qualifiedName); // ['OrderService', 'OrderService.place']
 */
export async function extractFileFacts(file: { path: string; content: string }): Promise<{
  facts: FileFacts | undefined;
  warnings: string[];
}> {
  const path = file.path.replace(/\\/g, '/');
  const { content } = file;
  const spec = specOfPath(path);
  if (!spec) return { facts: undefined, warnings: [`${path}: skipped, no parser for this file type.`] };
  if (content.includes('\0'))
    return { facts: undefined, warnings: [`${path}: skipped, binary content (NUL bytes).`] };
  if (content.length > maximumFileCharacters) {
    return {
      facts: undefined,
      warnings: [
        `${path}: skipped, ${content.length} characters exceeds the ${maximumFileCharacters} limit (generated or data file).`,
      ],
    };
  }
  const longest = longestLine(content);
  if (longest > maximumLineCharacters) {
    return {
      facts: undefined,
      warnings: [`${path}: skipped, a ${longest}-character line looks minified or generated.`],
    };
  }
  const parser = await parserFor(spec);
  const tree = parser.parse(content);
  if (!tree)
    return {
      facts: undefined,
      warnings: [`${path}: skipped, the ${spec.language} parser returned no tree.`],
    };
  try {
    const facts = factsFromTree(tree, spec, path, content);
    const warnings: string[] = [];
    if (facts.parseErrors.length > 0) {
      const first = facts.parseErrors[0]!;
      warnings.push(
        `${path}: syntax errors (first at line ${first.line}, column ${first.column}); the facts are partial.`,
      );
    }
    return { facts, warnings };
  } finally {
    tree.delete();
  }
}
