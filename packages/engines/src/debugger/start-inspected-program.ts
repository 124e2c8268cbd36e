import { spawn, type ChildProcess } from 'node:child_process';

export interface InspectedProgram {
  child: ChildProcess;
  /** `ws://127.0.0.1:<port>/<id>`, as Node printed it. */
  webSocketUrl: string;
  /** `<host>:<port>`: what `attach` and `plumb debug --attach` take. */
  address: string;
  /** What the program wrote to stdout so far. */
  stdout(): string;
}

/**
 * Starts `node [--import tsx] --inspect[-brk]=127.0.0.1:0 <program>` (or another `host`) outside any sandbox (a program someone
 * else runs, for attaching to) and resolves once its inspector listens, with the address Node printed. The
 * caller owns the process and kills it.
 *
 * @example const target = await startInspectedProgram('/app/server.js'); await backend.attach({ address: target.address });
 */
export async function startInspectedProgram(
  program: string,
  options: { holdAtStart?: boolean; host?: string } = {},
): Promise<InspectedProgram> {
  const flag = options.holdAtStart ? '--inspect-brk' : '--inspect';
  const child = spawn(
    process.execPath,
    [
      ...(/\.[cm]?tsx?$/.test(program) ? ['--import', import.meta.resolve('tsx')] : []),
      `${flag}=${options.host ?? '127.0.0.1'}:0`,
      program,
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stdout = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  const webSocketUrl = await new Promise<string>((resolve, reject) => {
    let stderr = '';
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
      const match = /Debugger listening on (ws:\/\/\S+)/.exec(stderr);
      if (match?.[1]) resolve(match[1]);
    });
    child.once('exit', () => reject(new Error(`${program} ended before its inspector listened: ${stderr}`)));
  });
  return { child, webSocketUrl, address: new URL(webSocketUrl).host, stdout: () => stdout };
}
