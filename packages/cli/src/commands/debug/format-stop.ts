import path from 'node:path';
import type { StopResult } from '@plumb/engines';

/**
 * A stop as `plumb debug` prints it: why and where, the source around it, the locals; or how the program ended.
 *
 * @example formatStop({ status: 'terminated', exitCode: 0, recentOutput: ['8'] }) // 'program exited with code 0\n  8\n'
 */
export function formatStop(stop: StopResult): string {
  if (stop.status === 'running')
    return 'running (it did not stop within the wait; `continue` waits again, `pause` interrupts it)\n';
  if (stop.status === 'terminated') {
    const output = stop.recentOutput.map((line) => `  ${line}`).join('\n');
    return `program exited with code ${stop.exitCode ?? 'unknown'}\n${output ? `${output}\n` : ''}`;
  }
  const { snapshot } = stop;
  const file = path.isAbsolute(snapshot.location.file)
    ? path.relative(process.cwd(), snapshot.location.file)
    : snapshot.location.file;
  const lines = [
    `stopped (${snapshot.reason}${snapshot.description ? `: ${snapshot.description}` : ''}) at ${file}:${snapshot.location.line} in ${snapshot.location.function}`,
  ];
  snapshot.source.lines.forEach((text, index) => {
    const number = snapshot.source.startLine + index;
    const marker = number === snapshot.location.line ? '>' : ' ';
    lines.push(`${marker} ${String(number).padStart(4)} | ${text}`);
  });
  if (snapshot.locals.length > 0) {
    lines.push(
      `locals: ${snapshot.locals.map((local) => `${local.name} = ${local.value}`).join(', ')}${snapshot.localsTruncated ? ', ...' : ''}`,
    );
  }
  return `${lines.join('\n')}\n`;
}
