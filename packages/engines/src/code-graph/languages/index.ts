import type { CodeLanguage } from '../file-facts.ts';
import { goSpec } from './go.ts';
import { javaSpec } from './java.ts';
import { javascriptSpec } from './javascript.ts';
import type { LanguageSpec } from './language-spec.ts';
import { pythonSpec } from './python.ts';
import { tsxSpec } from './tsx.ts';
import { typescriptSpec } from './typescript.ts';

/** Every language the code graph parses; adding one is a spec module and a line here. */
export const languageSpecs: readonly LanguageSpec[] = [
  typescriptSpec,
  tsxSpec,
  javascriptSpec,
  pythonSpec,
  javaSpec,
  goSpec,
];

const byLanguage = new Map<CodeLanguage, LanguageSpec>(languageSpecs.map((spec) => [spec.language, spec]));
const byExtension = new Map<string, LanguageSpec>(
  languageSpecs.flatMap((spec) => spec.extensions.map((extension) => [extension, spec] as const)),
);

/** The spec of a language. */
export function languageSpecOf(language: CodeLanguage): LanguageSpec | undefined {
  return byLanguage.get(language);
}

/** The spec for a file extension (lower-case, with the dot). */
export function languageSpecForExtension(extension: string): LanguageSpec | undefined {
  return byExtension.get(extension);
}
