import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { PlumbError } from '@plumb/protocol';
import { resolvePythonInterpreter } from '../languages/python/resolve-python-interpreter.ts';
import { spawnSandboxed } from '../sandbox/spawn-sandboxed.ts';
import type { DebugLanguage } from './debug-backend.ts';
import { linesFromV8Coverage, type AgentCoverageScript } from './lines-from-v8-coverage.ts';

const tsxLoader = import.meta.resolve('tsx');
const agentUrl = new URL('./javascript-debug-agent.ts', import.meta.url).href;
const controllerPath = fileURLToPath(new URL('./python-debug-controller.py', import.meta.url));

export interface LineCoverageOptions {
  language: DebugLanguage;
  program: string;
  args?: string[];
  cwd?: string;
  environment?: Record<string, string>;
  timeoutMilliseconds?: number;
  python?: string;
}

export interface LineCoverage {
  passed: boolean;
  exitCode: number | null;
  timedOut: boolean;
  /** Lines that ran, per absolute file (user code only: no Node internals, dependencies or standard library). */
  lines: Map<string, Set<number>>;
}

/**
 * Runs a program once in the sandbox and records which lines of user code ran: V8 precise coverage through the
 * agent for JavaScript/TypeScript, a `sys.settrace` line tracer in the controller for Python.
 *
 * @example const { passed, lines } = await collectLineCoverage({ language: 'python', program: '/app/test_cart.py', args: ['test_total'] });
 */
export async function collectLineCoverage(options: LineCoverageOptions): Promise<LineCoverage> {
  const cwd = path.resolve(options.cwd ?? path.dirname(path.resolve(options.program)));
  const program = path.resolve(cwd, options.program);
  if (!existsSync(program)) {
    throw new PlumbError(
      'program_not_found',
      `No program at ${program}; pass the path of an existing file.`,
      { param: 'program' },
    );
  }
  const isPython = options.language === 'python';
  const sandboxed = spawnSandboxed({
    command: isPython ? resolvePythonInterpreter(options.python) : process.execPath,
    args: isPython
      ? ['-X', 'utf8', controllerPath, '--coverage', program, ...(options.args ?? [])]
      : ['--import', tsxLoader, '--import', agentUrl, program, ...(options.args ?? [])],
    environment: {
      ...options.environment,
      PLUMB_DEBUG_CWD: cwd,
      // Relative: the agent resolves it in the sandbox's own (writable) working directory.
      ...(isPython ? { PYTHONDONTWRITEBYTECODE: '1' } : { PLUMB_COVERAGE_FILE: 'plumb-coverage.json' }),
    },
    readablePaths: [path.dirname(program), cwd],
    stdio: isPython ? ['ignore', 'ignore', 'ignore', 'pipe', 'pipe'] : ['ignore', 'ignore', 'ignore'],
  });
  try {
    let reported = '';
    (sandboxed.child.stdio[4] as Readable | null)
      ?.setEncoding('utf8')
      .on('data', (chunk: string) => (reported += chunk));
    let timedOut = false;
    const exitCode = await new Promise<number | null>((resolve) => {
      const timer = setTimeout(() => {
        timedOut = true;
        sandboxed.dispose();
      }, options.timeoutMilliseconds ?? 30_000);
      sandboxed.child.once('close', (code) => {
        clearTimeout(timer);
        resolve(code);
      });
    });
    let lines = new Map<string, Set<number>>();
    if (isPython) {
      const line = reported.split('\n').find((candidate) => candidate.includes('"coverage"'));
      const files = line
        ? (JSON.parse(line) as { body: { files: Record<string, number[]> } }).body.files
        : {};
      lines = new Map(Object.entries(files).map(([file, covered]) => [file, new Set(covered)]));
    } else {
      const found = path.join(sandboxed.workingDirectory, 'plumb-coverage.json');
      if (existsSync(found))
        lines = linesFromV8Coverage(JSON.parse(readFileSync(found, 'utf8')) as AgentCoverageScript[]);
    }
    return { passed: exitCode === 0 && !timedOut, exitCode, timedOut, lines };
  } finally {
    sandboxed.dispose();
  }
}
