import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path, { join } from 'node:path';
import { createInterface } from 'node:readline';
import { stringify } from 'yaml';
import { ruleConfig, type SecurityRule } from './security-rule.ts';

/** Which rules may match in which files, as the ast-grep CLI found them in one multi-threaded pass. */
export interface CandidateRules {
  /** Relative path -> ids of the rules with at least one match in that file. Files without matches are absent. */
  rulesByFile: Map<string, Set<string>>;
  /**
   * Files the exact scan must check with every rule: a parse error (the in-process parser retries other
   * grammars and reports it) or a name the CLI's file globs cannot express.
   */
  needsFullScan: Set<string>;
}

/** The id of the extra CLI rule that reports parse errors. */
const parseErrorRule = 'plumb-parse-error';
/** Paths per CLI run: keeps the argument list far below the operating system's limit. */
const filesPerRun = 2000;

const require = createRequire(import.meta.url);
let binary: string | null | undefined;

/**
 * The ast-grep CLI binary of `@ast-grep/cli` (its platform package carries the executable), or null when it is
 * not installed for this platform.
 *
 * @example astGrepBinary() // => '/app/node_modules/@ast-grep/cli-linux-x64-gnu/ast-grep' or null
 */
export function astGrepBinary(): string | null {
  if (binary !== undefined) return binary;
  binary = null;
  const name = process.platform === 'win32' ? 'ast-grep.exe' : 'ast-grep';
  const platformPackages: Record<string, string> = {
    'linux-x64': '@ast-grep/cli-linux-x64-gnu',
    'linux-arm64': '@ast-grep/cli-linux-arm64-gnu',
    'darwin-x64': '@ast-grep/cli-darwin-x64',
    'darwin-arm64': '@ast-grep/cli-darwin-arm64',
    'win32-x64': '@ast-grep/cli-win32-x64-msvc',
    'win32-arm64': '@ast-grep/cli-win32-arm64-msvc',
  };
  const platformPackage = platformPackages[`${process.platform}-${process.arch}`];
  for (const packageName of [platformPackage, '@ast-grep/cli']) {
    if (packageName === undefined) continue;
    try {
      const candidate = path.join(path.dirname(require.resolve(`${packageName}/package.json`)), name);
      if (existsSync(candidate)) {
        binary = candidate;
        break;
      }
    } catch {
      // not installed: try the next place
    }
  }
  return binary;
}

/**
 * Match rules with the ast-grep CLI: each rule is compiled once and the files are matched on all cores, where
 * the in-process engine compiles each rule again for every file. `files` maps each path (relative to `root`)
 * to the ids of the rules worth trying there (those whose pre-filter passed); every file is also checked for
 * parse errors. The result only says which rules matched where (before `where` conditions, taint and
 * suppressions), so the exact scan then runs just those rules on just those files. The CLI loads the same
 * grammar libraries as the in-process engine (`@ast-grep/lang-*`). Rejects when the CLI is missing or fails;
 * callers fall back to the in-process scan.
 *
 * @example await findCandidateRules({ root: '/p', files: new Map([['a.py', ['py-ssrf']]]), rules }) // => { rulesByFile: Map { 'a.py' => Set { 'py-ssrf' } }, needsFullScan: Set {} }
 */
export async function findCandidateRules(options: {
  root: string;
  files: Map<string, string[]>;
  rules: SecurityRule[];
  threads?: number;
}): Promise<CandidateRules> {
  const executable = astGrepBinary();
  if (executable === null)
    throw new Error('the ast-grep CLI (@ast-grep/cli) is not installed for this platform');
  const result: CandidateRules = { rulesByFile: new Map(), needsFullScan: new Set() };
  const paths: string[] = [];
  for (const file of options.files.keys())
    if (/[*?[\]{}\\!]/.test(file)) result.needsFullScan.add(file);
    else paths.push(file);
  const folder = mkdtempSync(join(os.tmpdir(), 'plumb-ast-grep-'));
  try {
    const configFile = join(folder, 'sgconfig.yml');
    writeFileSync(configFile, sgconfigText());
    mkdirSync(join(folder, 'rules'));
    for (let start = 0; start < paths.length; start += filesPerRun) {
      const chunk = paths.slice(start, start + filesPerRun);
      writeFileSync(join(folder, 'rules', 'security.yml'), rulesText(options.rules, chunk, options.files));
      await runCli(executable, configFile, options, chunk, result);
    }
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
  return result;
}

/** CLI languages a rule runs as: JavaScript rules on both TypeScript grammars, the rest on `@ast-grep/lang-*`. */
const cliLanguages: Record<string, string[]> = {
  javascript: ['Tsx', 'TypeScript'],
  typescript: ['Tsx', 'TypeScript'],
  python: ['plumbpython'],
  java: ['plumbjava'],
  go: ['plumbgo'],
};

const ruleDocuments = new WeakMap<SecurityRule, Record<string, unknown>[]>();

/** The CLI rule documents of one rule (one per CLI language), without their file lists; built once. */
function documentsOf(rule: SecurityRule): Record<string, unknown>[] {
  let documents = ruleDocuments.get(rule);
  if (documents === undefined) {
    const config = ruleConfig(rule) as Record<string, unknown>;
    const languages = new Set(rule.languages.flatMap((language) => cliLanguages[language] ?? []));
    documents = [...languages].map((language) => ({
      id: `${rule.id}@${language}`,
      language,
      severity: 'info',
      message: rule.id,
      ...config,
    }));
    ruleDocuments.set(rule, documents);
  }
  return documents;
}

/** The rule file of one CLI run: each rule limited (`files`) to the paths where its pre-filter passed. */
function rulesText(rules: SecurityRule[], paths: string[], files: Map<string, string[]>): string {
  const pathsByRule = new Map<string, string[]>();
  for (const file of paths)
    for (const id of files.get(file) ?? []) {
      let list = pathsByRule.get(id);
      if (list === undefined) {
        list = [];
        pathsByRule.set(id, list);
      }
      list.push(file);
    }
  const documents: string[] = [];
  for (const rule of rules) {
    const list = pathsByRule.get(rule.id);
    if (list === undefined) continue;
    for (const document of documentsOf(rule)) documents.push(stringify({ ...document, files: list }));
  }
  for (const language of ['Tsx', 'TypeScript', 'plumbpython', 'plumbjava', 'plumbgo'])
    documents.push(
      stringify({
        id: `${parseErrorRule}@${language}`,
        language,
        severity: 'info',
        message: 'parse error',
        rule: { kind: 'ERROR' },
      }),
    );
  return documents.join('---\n');
}

let sgconfig: string | undefined;

/** The project configuration: where the rules are, JavaScript as TSX, and the `@ast-grep/lang-*` grammars. */
function sgconfigText(): string {
  if (sgconfig !== undefined) return sgconfig;
  const customLanguages: Record<string, unknown> = {};
  for (const name of ['python', 'java', 'go']) {
    const grammar = require(`@ast-grep/lang-${name}`) as {
      libraryPath: string;
      extensions: string[];
      languageSymbol: string;
      expandoChar: string;
    };
    customLanguages[`plumb${name}`] = {
      libraryPath: grammar.libraryPath,
      extensions: grammar.extensions,
      languageSymbol: grammar.languageSymbol,
      expandoChar: grammar.expandoChar,
    };
  }
  sgconfig = stringify({
    ruleDirs: ['rules'],
    // JavaScript is parsed with the TSX grammar in-process too (JSX is common in .js files).
    languageGlobs: { tsx: ['*.js', '*.jsx', '*.mjs', '*.cjs'] },
    customLanguages,
  });
  return sgconfig;
}

async function runCli(
  executable: string,
  configFile: string,
  options: { root: string; threads?: number },
  files: string[],
  result: CandidateRules,
): Promise<void> {
  const child = spawn(
    executable,
    [
      'scan',
      '--config',
      configFile,
      '--custom-languages',
      'allow',
      '--json=stream',
      '--threads',
      String(options.threads ?? 0),
      '--',
      ...files,
    ],
    { cwd: options.root, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let errorText = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk: string) => {
    if (errorText.length < 4000) errorText += chunk;
  });
  const exited = new Promise<number | null>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', resolve);
  });
  try {
    for await (const line of createInterface({ input: child.stdout })) {
      if (line === '') continue;
      const match = JSON.parse(line) as { file: string; ruleId: string };
      const ruleId = match.ruleId.slice(0, match.ruleId.lastIndexOf('@'));
      const file = match.file.split(path.sep).join('/');
      if (ruleId === parseErrorRule) {
        result.needsFullScan.add(file);
        continue;
      }
      let rules = result.rulesByFile.get(file);
      if (rules === undefined) {
        rules = new Set();
        result.rulesByFile.set(file, rules);
      }
      rules.add(ruleId);
    }
  } catch (error) {
    child.kill();
    throw error;
  }
  const code = await exited;
  if (code !== 0)
    throw new Error(`ast-grep exited with code ${code}: ${errorText.trim().split('\n')[0] ?? ''}`);
}
