// Worker thread of scanProject: receives batches of files, scans them with the built-in rules and posts the
// results back. Started by scan-project.ts; not a public entry point.
import { parentPort } from 'node:worker_threads';
import { scanFileJob, type FileScanJob, type FileScanResult } from './scan-project.ts';

parentPort?.on('message', (batch: FileScanJob[]) => {
  void (async () => {
    const results: [string, FileScanResult][] = [];
    for (const job of batch) {
      try {
        results.push([job.relative, await scanFileJob(job)]);
      } catch (error) {
        results.push([
          job.relative,
          {
            hash: '',
            findings: [],
            warnings: [`${job.relative}: could not be scanned (${(error as Error).message.split('\n')[0]}).`],
            lines: 0,
          },
        ]);
      }
    }
    parentPort?.postMessage(results);
  })();
});
