// Worker thread of extractFilesInWorkers: receives batches of files, extracts their facts with the same
// extractFileFacts the main thread uses (web-tree-sitter initialised once per worker) and posts them back.
// Started by extract-files-in-workers.ts; not a public entry point.
import { parentPort } from 'node:worker_threads';
import { extractFileFacts } from './extract-file-facts.ts';
import type { FileExtraction, ExtractionBatch } from './extract-files-in-workers.ts';

parentPort?.on('message', (batch: ExtractionBatch) => {
  void (async () => {
    const extractions: FileExtraction[] = [];
    for (const file of batch.files) {
      try {
        extractions.push(await extractFileFacts(file));
      } catch (error) {
        // Reported per file, as the in-process path does: one file the parser cannot handle is skipped alone.
        extractions.push({
          facts: undefined,
          warnings: [],
          error: error instanceof Error ? error.message : String(error),
        });
      }
    }
    parentPort?.postMessage({ first: batch.first, extractions });
  })();
});
