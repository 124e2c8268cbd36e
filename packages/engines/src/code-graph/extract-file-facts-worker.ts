// Worker thread of startParseWorkers: receives batches of files, extracts their facts with the same
// extractFileFacts the main thread uses (web-tree-sitter initialised once per worker) and posts them back in
// batch order. Started by extract-files-in-workers.ts; not a public entry point.
import { parentPort } from 'node:worker_threads';
import {
  extractFileInProcess,
  type ExtractionBatch,
  type FileExtraction,
} from './extract-files-in-workers.ts';

parentPort?.on('message', (batch: ExtractionBatch) => {
  void (async () => {
    const extractions: FileExtraction[] = [];
    for (const file of batch.files) extractions.push(await extractFileInProcess(file));
    parentPort?.postMessage(extractions);
  })();
});
