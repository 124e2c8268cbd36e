// The labeled security corpus (packages/engines/fixtures/security): its manifest, the CWE classes and
// languages it must cover (from the shared CWE list), and the shape of a peer tool's finding.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { repositoryRoot } from '../start-child-server.ts';

export type CorpusLanguage = 'javascript' | 'typescript' | 'python' | 'java';
export type CorpusLabel = 'vulnerable' | 'safe';

/** One sample of the corpus, as listed in manifest.json. */
export interface SecurityCorpusEntry {
  /** Path relative to the corpus directory, `<language>/<cwe>/<label>-<n>-<slug>.<ext>`. */
  file: string;
  language: CorpusLanguage;
  /** `CWE-89` style id. */
  cwe: string;
  label: CorpusLabel;
  /** 1-based lines of the vulnerable sink statement(s); empty for safe samples. */
  lines: number[];
  description: string;
}

/** A finding reported by a peer tool, normalised so the scorer can compare tools. */
export interface PeerFinding {
  tool: string;
  /** Path relative to the corpus directory. */
  file: string;
  /** 1-based line. */
  line: number;
  /** `CWE-89` style id; absent when the tool's rule maps to no CWE (parse errors included). */
  cwe?: string;
  /** The tool's own rule id (`security/detect-child-process`, `B602`), or `parse-error`. */
  ruleId: string;
}

/** Rule id given to a file the peer could not parse; such a file yields no real finding (a miss). */
export const parseErrorRuleId = 'parse-error';

export const securityCorpusDirectory = path.join(repositoryRoot, 'packages/engines/fixtures/security');

/** Languages each CWE class covers (/work/briefs/cwe-list.md); `javascript` stands for JS and TS together. */
export const corpusCoverage: ReadonlyMap<string, readonly ('javascript' | 'python' | 'java')[]> = new Map([
  ['CWE-89', ['javascript', 'python', 'java']],
  ['CWE-943', ['javascript', 'python']],
  ['CWE-78', ['javascript', 'python', 'java']],
  ['CWE-94', ['javascript', 'python']],
  ['CWE-79', ['javascript', 'python']],
  ['CWE-22', ['javascript', 'python', 'java']],
  ['CWE-918', ['javascript', 'python', 'java']],
  ['CWE-601', ['javascript', 'python']],
  ['CWE-502', ['javascript', 'python', 'java']],
  ['CWE-611', ['javascript', 'python', 'java']],
  ['CWE-327', ['javascript', 'python']],
  ['CWE-328', ['javascript', 'python']],
  ['CWE-338', ['javascript', 'python']],
  ['CWE-798', ['javascript', 'python']],
  ['CWE-295', ['javascript', 'python']],
  ['CWE-347', ['javascript', 'python']],
  ['CWE-942', ['javascript', 'python']],
  ['CWE-1321', ['javascript']],
  ['CWE-1333', ['javascript', 'python']],
  ['CWE-306', ['javascript', 'python']],
  ['CWE-532', ['javascript', 'python']],
  ['CWE-489', ['javascript', 'python']],
]);

/** Extensions per language id (the shared CWE list's language ids). */
export const languageExtensions: Readonly<Record<CorpusLanguage, readonly string[]>> = {
  javascript: ['.js', '.mjs', '.cjs', '.jsx'],
  typescript: ['.ts', '.tsx', '.mts', '.cts'],
  python: ['.py'],
  java: ['.java'],
};

/** JS and TS count as one language for the corpus minimums. */
export function languageGroup(language: CorpusLanguage): 'javascript' | 'python' | 'java' {
  return language === 'typescript' ? 'javascript' : language;
}

/**
 * Reads manifest.json of the corpus; throws when it is not an array of entries.
 *
 * @example
 * const manifest = await readSecurityManifest();
 * console.log(manifest.filter((entry) => entry.label === 'vulnerable').length);
 */
export async function readSecurityManifest(
  directory: string = securityCorpusDirectory,
): Promise<SecurityCorpusEntry[]> {
  const parsed: unknown = JSON.parse(await readFile(path.join(directory, 'manifest.json'), 'utf8'));
  if (!Array.isArray(parsed)) {
    throw new Error(`${directory}/manifest.json must hold a JSON array of corpus entries`);
  }
  return parsed as SecurityCorpusEntry[];
}
