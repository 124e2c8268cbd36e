import { readFileSync } from 'node:fs';
import ts from 'typescript';

/**
 * The 1-based line of the first top-level statement of a TypeScript or JavaScript file that runs code: what
 * "stop on entry" stops at. Declarations that compile to nothing or only define a function (interfaces, type
 * aliases, function declarations, `declare` blocks, type-only imports) are skipped.
 *
 * @example firstTopLevelStatementLine('/app/main.ts') // => 9 (the first `const` after an interface and a function)
 */
export function firstTopLevelStatementLine(file: string): number | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, false);
  for (const statement of source.statements) {
    if (
      ts.isInterfaceDeclaration(statement) ||
      ts.isTypeAliasDeclaration(statement) ||
      ts.isFunctionDeclaration(statement) ||
      ts.isEmptyStatement(statement) ||
      (ts.isImportDeclaration(statement) && statement.importClause?.isTypeOnly === true) ||
      (ts.canHaveModifiers(statement) &&
        ts.getModifiers(statement)?.some((modifier) => modifier.kind === ts.SyntaxKind.DeclareKeyword))
    ) {
      continue;
    }
    return source.getLineAndCharacterOfPosition(statement.getStart(source)).line + 1;
  }
  return undefined;
}
