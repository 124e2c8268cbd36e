import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { PlumbError } from '@plumb/protocol';
import type {
  AnalyzedFunction,
  AnalyzedParameter,
  DocumentedExample,
  SourceAnalysis,
} from '../../test-vectors/analyzed-function.ts';
import type { ObjectProperty, TypeShape } from '../../test-vectors/type-shape.ts';
import { parsePreconditions } from '../../test-vectors/parse-preconditions.ts';
import { evaluateLiteral, parseExpression } from './typescript-literal.ts';
import { inferUntypedParameter } from './infer-untyped-parameter.ts';

const maximumShapeDepth = 6;

/**
 * Reads the exported functions, arrow functions and class methods of a TypeScript or JavaScript file with the
 * TypeScript compiler API: parameter types resolved through aliases, interfaces, unions, literals, enums,
 * generics (at their constraint), JSDoc `@param`/`@returns`/`@throws`/`@example`, and preconditions in prose.
 *
 * @example const analysis = analyzeTypeScriptFile('src/slugify.ts'); analysis.functions[0]?.name // => 'slugify'
 */
export function analyzeTypeScriptFile(file: string): SourceAnalysis {
  const absolute = path.resolve(file);
  if (!existsSync(absolute) || !statSync(absolute).isFile()) {
    throw new PlumbError(
      'source_not_found',
      `No source file at ${absolute}. Pass the path of a .ts or .js file.`,
      {
        param: 'file',
      },
    );
  }
  const isJavaScript = /\.(c|m)?jsx?$/.test(absolute);
  const program = ts.createProgram({ rootNames: [absolute], options: compilerOptions, host: cachingHost() });
  const sourceFile = program.getSourceFile(absolute);
  if (!sourceFile) throw new PlumbError('source_not_found', `Could not read ${absolute}.`, { param: 'file' });
  const syntaxError = program.getSyntacticDiagnostics(sourceFile)[0];
  if (syntaxError) {
    const { line, character } = sourceFile.getLineAndCharacterOfPosition(syntaxError.start ?? 0);
    throw new PlumbError(
      'source_syntax_error',
      `Syntax error at ${absolute}:${line + 1}:${character + 1}: ${ts.flattenDiagnosticMessageText(syntaxError.messageText, ' ')}`,
      { param: 'file' },
    );
  }
  const checker = program.getTypeChecker();
  const warnings: string[] = [];
  const functions: AnalyzedFunction[] = [];
  const moduleSymbol = checker.getSymbolAtLocation(sourceFile);
  const exports = moduleSymbol ? checker.getExportsOfModule(moduleSymbol) : [];
  const reader = new DeclarationReader(checker, sourceFile, warnings);

  for (const exported of exports) {
    const symbol = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
    const exportName = exported.name === 'default' ? 'default' : exported.name;
    for (const declaration of symbol.declarations ?? []) {
      if (declaration.getSourceFile() !== sourceFile) continue;
      if (ts.isFunctionDeclaration(declaration) && declaration.body) {
        functions.push(reader.read(exportName, declaration, declaration));
      } else if (
        ts.isVariableDeclaration(declaration) &&
        declaration.initializer &&
        (ts.isArrowFunction(declaration.initializer) || ts.isFunctionExpression(declaration.initializer))
      ) {
        functions.push(reader.read(exportName, declaration.initializer, declaration));
      } else if (ts.isClassDeclaration(declaration)) {
        functions.push(...reader.readClass(exportName, declaration));
      }
    }
  }
  functions.sort((left, right) => left.line - right.line || left.column - right.column);
  if (functions.length === 0) warnings.push(`${path.basename(absolute)} exports no functions or classes.`);
  return { language: isJavaScript ? 'javascript' : 'typescript', file: absolute, functions, warnings };
}

const compilerOptions: ts.CompilerOptions = {
  strict: true,
  target: ts.ScriptTarget.ES2023,
  module: ts.ModuleKind.NodeNext,
  moduleResolution: ts.ModuleResolutionKind.NodeNext,
  allowJs: true,
  checkJs: false,
  noEmit: true,
  skipLibCheck: true,
  allowImportingTsExtensions: true,
  types: [],
};

const libraryFiles = new Map<string, ts.SourceFile | undefined>();

/**
 * A compiler host that parses TypeScript's own `lib.*.d.ts` files once per process: they are most of the
 * cost of a program (~0.5 s), while the file under analysis is always read fresh.
 */
function cachingHost(): ts.CompilerHost {
  const host = ts.createCompilerHost(compilerOptions, true);
  const libraryDirectory = path.dirname(ts.getDefaultLibFilePath(compilerOptions));
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (fileName, languageVersion, onError, shouldCreate) => {
    if (!fileName.startsWith(libraryDirectory))
      return getSourceFile(fileName, languageVersion, onError, shouldCreate);
    if (!libraryFiles.has(fileName))
      libraryFiles.set(fileName, getSourceFile(fileName, languageVersion, onError, shouldCreate));
    return libraryFiles.get(fileName);
  };
  return host;
}

class DeclarationReader {
  constructor(
    private readonly checker: ts.TypeChecker,
    private readonly sourceFile: ts.SourceFile,
    private readonly warnings: string[],
  ) {}

  readClass(className: string, declaration: ts.ClassDeclaration): AnalyzedFunction[] {
    const constructor = declaration.members.find(ts.isConstructorDeclaration);
    const constructible =
      !constructor ||
      constructor.parameters.every((parameter) => parameter.questionToken || parameter.initializer);
    const methods: AnalyzedFunction[] = [];
    for (const member of declaration.members) {
      if (!ts.isMethodDeclaration(member) || !member.body || !ts.isIdentifier(member.name)) continue;
      const modifiers = ts.getCombinedModifierFlags(member);
      if (modifiers & (ts.ModifierFlags.Private | ts.ModifierFlags.Protected)) continue;
      const isStatic = (modifiers & ts.ModifierFlags.Static) !== 0;
      if (!isStatic && !constructible) {
        this.warnings.push(
          `${className}.${member.name.text} skipped: ${className}'s constructor needs arguments, so the engine cannot build an instance.`,
        );
        continue;
      }
      const method = this.read(`${className}.${member.name.text}`, member, member);
      methods.push({ ...method, kind: 'method', className, isStatic });
    }
    return methods;
  }

  read(name: string, declaration: ts.FunctionLikeDeclaration, documented: ts.Node): AnalyzedFunction {
    const { checker } = this;
    const signature = checker.getSignatureFromDeclaration(declaration);
    const documentation = readDocumentation(documented);
    const unsupported: string[] = [];
    const parameters = declaration.parameters.map((parameter, index): AnalyzedParameter => {
      const parameterName = ts.isIdentifier(parameter.name) ? parameter.name.text : `argument${index + 1}`;
      let type = this.shape(checker.getTypeAtLocation(parameter), 0);
      const rest = parameter.dotDotDotToken !== undefined;
      if (rest && type.kind === 'array') type = type.element;
      const description = documentation.parameters.get(parameterName);
      const result: AnalyzedParameter = {
        name: parameterName,
        type,
        typeText: parameter.type
          ? parameter.type.getText(this.sourceFile)
          : checker.typeToString(checker.getTypeAtLocation(parameter)),
        optional: parameter.questionToken !== undefined || parameter.initializer !== undefined,
        hasDefault: parameter.initializer !== undefined,
        rest,
        constraints: parsePreconditions(description ?? '', parameterName, documentation.summary),
        ...(description ? { description } : {}),
      };
      if (!parameter.type && type.kind === 'any' && declaration.body) {
        const inferred = inferUntypedParameter(
          parameterName,
          declaration.body.getText(this.sourceFile),
          description ?? '',
        );
        if (inferred) {
          result.type = inferred.type;
          result.typeText = inferred.typeText;
          result.inferredFrom = inferred.from;
          this.warnings.push(
            `${name}: parameter "${parameterName}" has no type; inferred ${inferred.typeText} from ${inferred.from}.`,
          );
        }
      }
      if (result.type.kind === 'unsupported') unsupported.push(parameterName);
      return result;
    });
    let returnType = signature ? checker.getReturnTypeOfSignature(signature) : checker.getAnyType();
    const isAsync =
      (ts.getCombinedModifierFlags(declaration) & ts.ModifierFlags.Async) !== 0 ||
      returnType.getSymbol()?.name === 'Promise';
    if (isAsync) returnType = checker.getAwaitedType(returnType) ?? returnType;
    const { line, character } = this.sourceFile.getLineAndCharacterOfPosition(
      declaration.getStart(this.sourceFile),
    );
    const examples = documentation.examples.flatMap((text) => this.parseExample(name, text));
    return {
      name,
      kind: 'function',
      isAsync,
      line: line + 1,
      column: character + 1,
      summary: documentation.summary,
      parameters,
      returns: {
        type: declaration.type || signature ? this.shape(returnType, 0) : { kind: 'any' },
        typeText: checker.typeToString(returnType),
        ...(documentation.returns ? { description: documentation.returns } : {}),
      },
      throws: documentation.throws,
      examples,
      documentsMutation: /\bin[- ]place\b|\bmutates?\b|\bmodif(y|ies)\b/i.test(documentation.all),
      unsupported,
    };
  }

  parseExample(functionName: string, text: string): DocumentedExample[] {
    const examples: DocumentedExample[] = [];
    for (const rawLine of text.split('\n')) {
      const line = rawLine.trim();
      const match =
        /^(.*?);?\s*\/\/\s*(?:=>|→|returns?|->)\s*(.+)$/.exec(line) ??
        /^(.*?);?\s*\/\/\s*(throws)\s+(\w+)/.exec(line);
      if (!match) continue;
      const callText = match[1]?.trim() ?? '';
      const call = parseExpression(callText);
      const callee = call && ts.isCallExpression(call) ? call.expression.getText() : undefined;
      const shortName = functionName.split('.').pop() ?? functionName;
      const calleeMatches =
        callee !== undefined &&
        (callee === functionName || callee.endsWith(`.${shortName}`) || callee === shortName);
      if (!call || !ts.isCallExpression(call) || !calleeMatches) {
        if (callText.includes(shortName))
          this.warnings.push(`${functionName}: example "${line}" is not a literal call; skipped.`);
        continue;
      }
      const args = call.arguments.map((argument) => evaluateLiteral(argument));
      if (args.some((argument) => argument === undefined)) {
        this.warnings.push(`${functionName}: example "${line}" has non-literal arguments; skipped.`);
        continue;
      }
      if (match.length === 4 && match[2] === 'throws') {
        examples.push({
          source: line,
          arguments: args as DocumentedExample['arguments'],
          expected: { kind: 'throws', errorType: match[3] ?? 'Error' },
        });
        continue;
      }
      const expectedText = (match[2] ?? '').trim();
      const thrown = /^throws?\s+(\w+)/.exec(expectedText);
      if (thrown) {
        examples.push({
          source: line,
          arguments: args as DocumentedExample['arguments'],
          expected: { kind: 'throws', errorType: thrown[1] ?? 'Error' },
        });
        continue;
      }
      const expectedExpression = parseExpression(expectedText);
      const expected = expectedExpression ? evaluateLiteral(expectedExpression) : undefined;
      if (expected === undefined) {
        this.warnings.push(`${functionName}: expected value of example "${line}" is not a literal; skipped.`);
        continue;
      }
      examples.push({
        source: line,
        arguments: args as DocumentedExample['arguments'],
        expected: { kind: 'returns', value: expected },
      });
    }
    return examples;
  }

  shape(type: ts.Type, depth: number): TypeShape {
    const { checker } = this;
    if (depth > maximumShapeDepth) return { kind: 'any' };
    const flags = type.flags;
    if (flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown)) return { kind: 'any' };
    if (flags & ts.TypeFlags.TypeParameter) {
      const constraint = checker.getBaseConstraintOfType(type);
      return constraint && constraint !== type ? this.shape(constraint, depth + 1) : { kind: 'any' };
    }
    if (flags & ts.TypeFlags.BooleanLiteral)
      return { kind: 'literal', value: checker.typeToString(type) === 'true' };
    if (flags & ts.TypeFlags.Boolean) return { kind: 'boolean' };
    if (type.isUnion()) {
      const options = type.types.map((option) => this.shape(option, depth + 1));
      const trueIndex = options.findIndex((option) => option.kind === 'literal' && option.value === true);
      const falseIndex = options.findIndex((option) => option.kind === 'literal' && option.value === false);
      if (trueIndex >= 0 && falseIndex >= 0) {
        const merged = options.filter((_, index) => index !== trueIndex && index !== falseIndex);
        merged.push({ kind: 'boolean' });
        return merged.length === 1 ? { kind: 'boolean' } : { kind: 'union', options: merged };
      }
      return { kind: 'union', options };
    }
    if (type.isNumberLiteral()) return { kind: 'literal', value: type.value };
    if (type.isStringLiteral()) return { kind: 'literal', value: type.value };
    if (flags & (ts.TypeFlags.Number | ts.TypeFlags.Enum)) return { kind: 'number' };
    if (flags & (ts.TypeFlags.String | ts.TypeFlags.TemplateLiteral)) return { kind: 'string' };
    if (flags & (ts.TypeFlags.BigInt | ts.TypeFlags.BigIntLiteral)) return { kind: 'bigint' };
    if (flags & ts.TypeFlags.Null) return { kind: 'null' };
    if (flags & ts.TypeFlags.Undefined) return { kind: 'undefined' };
    if (flags & ts.TypeFlags.Void) return { kind: 'void' };
    if (flags & ts.TypeFlags.Never) return { kind: 'unsupported', text: 'never' };
    if (checker.isTupleType(type)) {
      return {
        kind: 'tuple',
        elements: checker
          .getTypeArguments(type as ts.TypeReference)
          .map((element) => this.shape(element, depth + 1)),
      };
    }
    if (checker.isArrayType(type)) {
      const element = checker.getTypeArguments(type as ts.TypeReference)[0];
      return { kind: 'array', element: element ? this.shape(element, depth + 1) : { kind: 'any' } };
    }
    const symbolName = type.getSymbol()?.name;
    if (symbolName === 'Date') return { kind: 'date' };
    if (symbolName === 'Set' || symbolName === 'ReadonlySet') {
      const element = checker.getTypeArguments(type as ts.TypeReference)[0];
      return { kind: 'set', element: element ? this.shape(element, depth + 1) : { kind: 'any' } };
    }
    if (type.getCallSignatures().length > 0) return { kind: 'unsupported', text: checker.typeToString(type) };
    if (
      symbolName === 'Map' ||
      symbolName === 'Promise' ||
      symbolName === 'RegExp' ||
      symbolName === 'Symbol'
    )
      return { kind: 'unsupported', text: checker.typeToString(type) };
    if (flags & ts.TypeFlags.Object || type.isIntersection()) {
      const stringIndex = checker
        .getIndexInfosOfType(type)
        .find((info) => info.keyType.flags & ts.TypeFlags.String);
      const properties = checker.getPropertiesOfType(type);
      if (stringIndex && properties.length === 0)
        return { kind: 'record', value: this.shape(stringIndex.type, depth + 1) };
      const shaped: ObjectProperty[] = [];
      for (const property of properties) {
        const declaration = property.valueDeclaration ?? property.declarations?.[0];
        if (declaration && (ts.isMethodDeclaration(declaration) || ts.isMethodSignature(declaration)))
          continue;
        const propertyType = checker.getTypeOfSymbol(property);
        shaped.push({
          name: property.name,
          type: this.shape(propertyType, depth + 1),
          optional: (property.flags & ts.SymbolFlags.Optional) !== 0,
        });
      }
      const isClassInstance =
        type.getSymbol()?.flags !== undefined && (type.getSymbol()!.flags & ts.SymbolFlags.Class) !== 0;
      return isClassInstance && symbolName
        ? { kind: 'object', properties: shaped, className: symbolName }
        : { kind: 'object', properties: shaped };
    }
    return { kind: 'unsupported', text: checker.typeToString(type) };
  }
}

interface Documentation {
  summary: string;
  all: string;
  parameters: Map<string, string>;
  returns?: string;
  throws: { type?: string; description: string }[];
  examples: string[];
}

function readDocumentation(node: ts.Node): Documentation {
  const holder = ts.isVariableDeclaration(node) ? node.parent.parent : node;
  const docs = ts.getJSDocCommentsAndTags(holder).filter(ts.isJSDoc);
  const documentation: Documentation = {
    summary: '',
    all: '',
    parameters: new Map(),
    throws: [],
    examples: [],
  };
  const jsDoc = docs.at(-1);
  if (!jsDoc) return documentation;
  documentation.summary = (ts.getTextOfJSDocComment(jsDoc.comment) ?? '').trim();
  documentation.all = jsDoc.getText();
  for (const tag of jsDoc.tags ?? []) {
    const comment = (ts.getTextOfJSDocComment(tag.comment) ?? '').trim();
    const tagName = tag.tagName.text;
    if (ts.isJSDocParameterTag(tag)) {
      documentation.parameters.set(tag.name.getText(), comment.replace(/^-\s*/, ''));
    } else if (tagName === 'returns' || tagName === 'return') {
      documentation.returns = comment;
    } else if (tagName === 'throws' || tagName === 'throw' || tagName === 'exception') {
      const text = tag.getText();
      const type =
        /\{\s*([\w.]+)\s*\}/.exec(text)?.[1] ?? /^@\w+\s+([A-Z]\w*(Error|Exception))\b/.exec(text)?.[1];
      documentation.throws.push({
        ...(type ? { type } : {}),
        description: comment.replace(/^\{[^}]*\}\s*/, ''),
      });
    } else if (tagName === 'example') {
      documentation.examples.push(comment);
    }
  }
  return documentation;
}
