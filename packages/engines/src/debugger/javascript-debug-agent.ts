/**
 * The coverage agent, preloaded into the program with `node --import <this file>` by collect-line-coverage.ts. It
 * is not imported by the engine. With `PLUMB_COVERAGE_FILE` (removed, with `PLUMB_DEBUG_CWD`, before the program
 * runs, so the program and its children never see them) it records V8 precise block coverage from the first
 * line of the program and writes it, with the sources of the scripts, to that file when the process exits
 * (however it exits). Debug sessions preload javascript-agent-source.ts instead, which needs no TypeScript loader.
 */
import inspector from 'node:inspector';
import { writeFileSync } from 'node:fs';
import path from 'node:path';

// Resolved before the chdir below: the file belongs in the sandbox's own directory, not the program's.
const coverageFile = process.env.PLUMB_COVERAGE_FILE && path.resolve(process.env.PLUMB_COVERAGE_FILE);
const workingDirectory = process.env.PLUMB_DEBUG_CWD;
delete process.env.PLUMB_COVERAGE_FILE;
delete process.env.PLUMB_DEBUG_CWD;
// The sandbox always starts in its own temporary directory; the program asked for another one.
if (workingDirectory) process.chdir(workingDirectory);

if (coverageFile) recordCoverage(coverageFile);

function recordCoverage(file: string): void {
  const session = new inspector.Session();
  session.connect();
  // A session on the main thread answers synchronously, which is what lets the exit handler below work.
  const post = (method: string, params?: object): unknown => {
    let answer: unknown;
    session.post(method, params, (error, result) => {
      if (error) throw error;
      answer = result;
    });
    return answer;
  };
  const scripts = new Map<string, { url: string; sourceMapURL: string }>();
  session.on('Debugger.scriptParsed', (message) => {
    const { scriptId, url, sourceMapURL } = message.params;
    if (url && !url.startsWith('node:') && !url.includes('/node_modules/') && url !== import.meta.url) {
      scripts.set(scriptId, { url, sourceMapURL: sourceMapURL ?? '' });
    }
  });
  post('Debugger.enable');
  post('Profiler.enable');
  post('Profiler.startPreciseCoverage', { callCount: true, detailed: true });
  process.on('exit', () => {
    const coverage = post('Profiler.takePreciseCoverage') as inspector.Profiler.TakePreciseCoverageReturnType;
    const result = coverage.result.flatMap((script) => {
      const parsed = scripts.get(script.scriptId);
      if (!parsed) return [];
      const { scriptSource } = post('Debugger.getScriptSource', {
        scriptId: script.scriptId,
      }) as inspector.Debugger.GetScriptSourceReturnType;
      return [{ ...parsed, source: scriptSource, functions: script.functions }];
    });
    writeFileSync(file, JSON.stringify(result));
  });
}
