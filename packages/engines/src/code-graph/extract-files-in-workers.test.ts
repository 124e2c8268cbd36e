import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  extractFiles,
  extractFilesInProcess,
  extractFilesInWorkers,
  type FileExtraction,
} from './extract-files-in-workers.ts';

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

async function collect(
  run: (onExtracted: (index: number, extraction: FileExtraction) => void) => Promise<unknown>,
): Promise<{ extractions: FileExtraction[]; reports: number[] }> {
  const extractions: FileExtraction[] = [];
  const reports: number[] = [];
  await run((index, extraction) => {
    extractions[index] = extraction;
    reports.push(index);
  });
  return { extractions, reports };
}

describe('extractFilesInWorkers', () => {
  it('gives the same facts as in-process extraction, each file reported once', async () => {
    const files = fixtureFiles(60);
    const inProcess = await collect((onExtracted) => extractFilesInProcess(files, onExtracted));
    const onWorkers = await collect((onExtracted) =>
      extractFilesInWorkers(files, { workerCount: 2, onExtracted }),
    );
    expect(onWorkers.reports.toSorted((left, right) => left - right)).toEqual(files.map((_, index) => index));
    expect(onWorkers.extractions).toEqual(inProcess.extractions);
    // The fixtures include parsed files, a file with syntax errors and an unsupported one.
    expect(inProcess.extractions.some((extraction) => extraction.facts === undefined)).toBe(true);
    expect(inProcess.extractions.some((extraction) => (extraction.facts?.parseErrors.length ?? 0) > 0)).toBe(
      true,
    );
  }, 60_000);

  it('rejects when a worker cannot start', async () => {
    const failing = new URL('data:text/javascript,throw new Error("no parser here")');
    await expect(
      extractFilesInWorkers(fixtureFiles(4), { workerCount: 2, onExtracted: () => {}, workerUrl: failing }),
    ).rejects.toThrow('no parser here');
  });
});

describe('extractFiles', () => {
  it('parses in-process what failed workers left, with a warning and the same facts', async () => {
    const files = fixtureFiles(30);
    const inProcess = await collect((onExtracted) => extractFilesInProcess(files, onExtracted));
    let warnings: string[] = [];
    const recovered = await collect(async (onExtracted) => {
      ({ warnings } = await extractFiles(files, {
        onExtracted,
        workerCount: 2,
        threshold: 0,
        workerUrl: new URL('data:text/javascript,throw new Error("no parser here")'),
      }));
    });
    expect(recovered.reports).toHaveLength(files.length);
    expect(recovered.extractions).toEqual(inProcess.extractions);
    expect(warnings).toEqual([expect.stringContaining('Parse worker threads failed (no parser here)')]);
  });

  it('stays in-process below the threshold and when no workers are allowed', async () => {
    const files = fixtureFiles(5);
    const failing = new URL('data:text/javascript,throw new Error("no parser here")');
    for (const options of [{ threshold: 10 }, { threshold: 0, workerCount: 0 }]) {
      const result = await extractFiles(files, { ...options, onExtracted: () => {}, workerUrl: failing });
      // The failing worker was never started: no warning.
      expect(result.warnings).toEqual([]);
    }
  });
});
