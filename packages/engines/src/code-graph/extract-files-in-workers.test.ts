import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { extractFileInProcess, startParseWorkers, type FileExtraction } from './extract-files-in-workers.ts';

const fixtures = path.join(import.meta.dirname, 'testdata', 'graph');

/** Every fixture source file (all languages, one with syntax errors, one unsupported), repeated to `count`. */
function fixtureFiles(count: number): { path: string; content: string }[] {
  const sources = readdirSync(fixtures, { recursive: true, encoding: 'utf8' })
    .filter((relative) => /\.(ts|tsx|js|py|java|go|md)$/.test(relative))
    .sort()
    .map((relative) => ({
      path: relative.split(path.sep).join('/'),
      content: readFileSync(path.join(fixtures, relative), 'utf8'),
    }));
  return Array.from({ length: count }, (_, index) => {
    const source = sources[index % sources.length]!;
    return { path: `copy-${Math.floor(index / sources.length)}/${source.path}`, content: source.content };
  });
}

async function inProcess(files: { path: string; content: string }[]): Promise<FileExtraction[]> {
  const extractions: FileExtraction[] = [];
  for (const file of files) extractions.push(await extractFileInProcess(file));
  return extractions;
}

const failingWorker = new URL('data:text/javascript,throw new Error("no parser here")');

describe('startParseWorkers', () => {
  it('gives the same facts as in-process extraction, each file reported once under its key', async () => {
    const files = fixtureFiles(60);
    const expected = await inProcess(files);
    const extractions: FileExtraction[] = [];
    const reports: number[] = [];
    const pool = startParseWorkers({
      workerCount: 2,
      onExtracted: (key, extraction) => {
        extractions[key] = extraction;
        reports.push(key);
      },
    });
    // Added in an order other than the keys', as the reader adds them when reads complete.
    for (const index of [...files.keys()].reverse()) pool.add(index, files[index]!);
    await pool.finish();
    expect(reports.toSorted((left, right) => left - right)).toEqual([...files.keys()]);
    expect(extractions).toEqual(expected);
    expect(pool.unreported()).toEqual([]);
    // The fixtures include parsed files, a file with syntax errors and an unsupported one.
    expect(expected.some((extraction) => extraction.facts === undefined)).toBe(true);
    expect(expected.some((extraction) => (extraction.facts?.parseErrors.length ?? 0) > 0)).toBe(true);
  }, 60_000);

  it('rejects when a worker cannot start and leaves every file unreported for the caller', async () => {
    const reports: number[] = [];
    const pool = startParseWorkers({
      workerCount: 2,
      onExtracted: (key) => reports.push(key),
      workerUrl: failingWorker,
    });
    fixtureFiles(40).forEach((file, index) => pool.add(index, file));
    await expect(pool.finish()).rejects.toThrow('no parser here');
    expect(reports).toEqual([]);
    expect(pool.unreported()).toEqual([...Array.from({ length: 40 }).keys()]);
  });

  it('stops on abort', async () => {
    const controller = new AbortController();
    const pool = startParseWorkers({ workerCount: 1, onExtracted: () => {}, signal: controller.signal });
    fixtureFiles(40).forEach((file, index) => pool.add(index, file));
    controller.abort(new Error('stopped by the user'));
    await expect(pool.finish()).rejects.toThrow('stopped by the user');
  });
});

describe('extractFileInProcess', () => {
  it("returns the extractor's facts and warnings", async () => {
    const { facts, warnings } = await extractFileInProcess({
      path: 'src/a.ts',
      content: 'export function a(): number {\n  return 1;\n}\n',
    });
    expect(facts?.definitions.map((definition) => definition.qualifiedName)).toEqual(['a']);
    expect(warnings).toEqual([]);
  });
});
