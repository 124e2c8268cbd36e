// Checks the security corpus against its manifest: every listed file exists and every sample file is listed,
// entries are well-formed and agree with their path, every (CWE, language) pair of the shared CWE list has at
// least the minimum of vulnerable and safe samples (JS and TS together), and every `lines` entry points at a
// non-empty line. `node --import tsx bench/security/check-corpus-manifest.ts` prints the counts and exits 1 on
// any problem.
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { formatTable } from '../format-table.ts';
import {
  corpusCoverage,
  languageExtensions,
  languageGroup,
  readSecurityManifest,
  securityCorpusDirectory,
  type CorpusLanguage,
  type SecurityCorpusEntry,
} from './security-corpus.ts';

/** Samples required per (CWE, language group, label). */
export const minimumSamplesPerLabel = 3;

export interface CorpusManifestCheck {
  problems: string[];
  /** `CWE-89|javascript|vulnerable` -> count, languages grouped (typescript counts as javascript). */
  counts: Map<string, number>;
  entries: SecurityCorpusEntry[];
}

const languages = Object.keys(languageExtensions) as CorpusLanguage[];
const fileNamePattern = /^(vulnerable|safe)-\d+-[a-z0-9]+(?:-[a-z0-9]+)*\.[a-z]+$/;

async function listSampleFiles(directory: string): Promise<string[]> {
  const found: string[] = [];
  for (const language of languages) {
    const languageDirectory = path.join(directory, language);
    let names: string[];
    try {
      names = await readdir(languageDirectory, { recursive: true });
    } catch {
      continue;
    }
    for (const name of names) {
      if (path.extname(name) !== '') found.push(path.posix.join(language, name.split(path.sep).join('/')));
    }
  }
  return found.sort();
}

function checkEntryShape(entry: SecurityCorpusEntry, index: number): string[] {
  const where = `manifest[${index}] (${String(entry.file)})`;
  const problems: string[] = [];
  if (typeof entry.file !== 'string' || entry.file.length === 0) return [`${where}: "file" must be a path`];
  const [language, cwe, fileName = ''] = entry.file.split('/');
  if (!languages.includes(entry.language)) problems.push(`${where}: unknown language "${entry.language}"`);
  if (language !== entry.language) problems.push(`${where}: file is not under ${entry.language}/`);
  if (!languageExtensions[entry.language]?.includes(path.extname(entry.file))) {
    problems.push(`${where}: extension does not belong to ${entry.language}`);
  }
  if (!corpusCoverage.has(entry.cwe)) problems.push(`${where}: "${entry.cwe}" is not in the CWE list`);
  if (cwe !== entry.cwe) problems.push(`${where}: file is not under ${entry.language}/${entry.cwe}/`);
  if (entry.label !== 'vulnerable' && entry.label !== 'safe') problems.push(`${where}: bad label`);
  if (!fileNamePattern.test(fileName) || !fileName.startsWith(`${entry.label}-`)) {
    problems.push(`${where}: file name must be ${entry.label}-<n>-<slug>.<ext>`);
  }
  if (!Array.isArray(entry.lines) || !entry.lines.every((line) => Number.isInteger(line) && line >= 1)) {
    problems.push(`${where}: "lines" must be an array of 1-based line numbers`);
  } else if (entry.label === 'vulnerable' && entry.lines.length === 0) {
    problems.push(`${where}: a vulnerable sample must list its sink line(s)`);
  } else if (entry.label === 'safe' && entry.lines.length > 0) {
    problems.push(`${where}: a safe sample must have empty "lines"`);
  }
  if (typeof entry.description !== 'string' || entry.description.trim().length === 0) {
    problems.push(`${where}: "description" is empty`);
  }
  return problems;
}

/**
 * Checks the corpus directory against its manifest and returns the problems found (empty when consistent).
 *
 * @example
 * const { problems } = await checkCorpusManifest();
 * if (problems.length > 0) console.error(problems.join('\n'));
 */
export async function checkCorpusManifest(
  directory: string = securityCorpusDirectory,
): Promise<CorpusManifestCheck> {
  const entries = await readSecurityManifest(directory);
  const problems: string[] = [];
  const counts = new Map<string, number>();
  const listed = new Set<string>();

  for (const [index, entry] of entries.entries()) {
    const shapeProblems = checkEntryShape(entry, index);
    problems.push(...shapeProblems);
    if (typeof entry.file !== 'string') continue;
    if (listed.has(entry.file)) problems.push(`${entry.file} is listed twice`);
    listed.add(entry.file);
    let text: string;
    try {
      text = await readFile(path.join(directory, entry.file), 'utf8');
    } catch {
      problems.push(`${entry.file} is listed but does not exist`);
      continue;
    }
    const lines = text.split('\n');
    for (const line of Array.isArray(entry.lines) ? entry.lines : []) {
      if ((lines[line - 1] ?? '').trim() === '') {
        problems.push(`${entry.file}: line ${line} is empty or past the end (${lines.length} lines)`);
      }
    }
    if (shapeProblems.length === 0) {
      const key = `${entry.cwe}|${languageGroup(entry.language)}|${entry.label}`;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
  }

  for (const file of await listSampleFiles(directory)) {
    if (!listed.has(file)) problems.push(`${file} exists but is not listed in manifest.json`);
  }

  for (const [cwe, cweLanguages] of corpusCoverage) {
    for (const language of cweLanguages) {
      for (const label of ['vulnerable', 'safe'] as const) {
        const count = counts.get(`${cwe}|${language}|${label}`) ?? 0;
        if (count < minimumSamplesPerLabel) {
          problems.push(
            `${cwe} ${language}: ${count} ${label} samples, at least ${minimumSamplesPerLabel} needed`,
          );
        }
      }
    }
  }
  return { problems, counts, entries };
}

/** Rows of sample counts per CWE: vulnerable/safe per language (TypeScript shown separately). */
export function formatCorpusCounts(entries: SecurityCorpusEntry[]): string {
  const count = (cwe: string, language: CorpusLanguage, label: string) =>
    entries.filter((entry) => entry.cwe === cwe && entry.language === language && entry.label === label)
      .length;
  const rows = [...corpusCoverage.keys()].map((cwe) => [
    cwe,
    ...languages.map((language) => {
      const vulnerable = count(cwe, language, 'vulnerable');
      const safe = count(cwe, language, 'safe');
      return vulnerable + safe === 0 ? '-' : `${vulnerable}/${safe}`;
    }),
  ]);
  const vulnerableTotal = entries.filter((entry) => entry.label === 'vulnerable').length;
  rows.push(['total', ...languages.map(() => ''), `${vulnerableTotal}/${entries.length - vulnerableTotal}`]);
  return formatTable(['cwe', ...languages.map((language) => `${language} v/s`), 'all v/s'], rows);
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { problems, entries } = await checkCorpusManifest();
  console.log(formatCorpusCounts(entries));
  if (problems.length > 0) {
    console.error(`\n${problems.length} problem(s):\n${problems.join('\n')}`);
    process.exitCode = 1;
  } else {
    console.log(`\n${entries.length} samples, manifest consistent`);
  }
}
