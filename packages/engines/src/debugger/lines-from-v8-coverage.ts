import { fileURLToPath } from 'node:url';
import { parseSourceMap } from './parse-source-map.ts';

/** What the agent writes in coverage mode: V8 precise block coverage plus each script's source. */
export interface AgentCoverageScript {
  url: string;
  source: string;
  sourceMapURL: string;
  functions: { ranges: { startOffset: number; endOffset: number; count: number }[] }[];
}

/**
 * Lines (1-based, per absolute file) that ran, from V8 block coverage. A line ran when the innermost coverage
 * range around its code has a count above zero; for TypeScript the "code of a line" is every generated position
 * the source map gives for it, because tsx puts a whole module on one generated line.
 *
 * @example linesFromV8Coverage(JSON.parse(readFileSync(coverageFile, 'utf8'))).get('/app/cart.ts') // => Set {1, 2, 5}
 */
export function linesFromV8Coverage(scripts: AgentCoverageScript[]): Map<string, Set<number>> {
  const covered = new Map<string, Set<number>>();
  const add = (file: string, line: number) => {
    const lines = covered.get(file) ?? new Set<number>();
    lines.add(line);
    covered.set(file, lines);
  };
  for (const script of scripts) {
    const ranges = script.functions.flatMap((fn) => fn.ranges);
    const countAt = (offset: number) => {
      let best: { length: number; count: number } | undefined;
      for (const range of ranges) {
        if (offset < range.startOffset || offset >= range.endOffset) continue;
        const length = range.endOffset - range.startOffset;
        if (!best || length <= best.length) best = { length, count: range.count };
      }
      return best?.count ?? 0;
    };
    const lineStarts = [0];
    for (let index = 0; index < script.source.length; index++) {
      if (script.source[index] === '\n') lineStarts.push(index + 1);
    }
    const sourceMap = script.sourceMapURL.startsWith('data:')
      ? parseSourceMap(script.sourceMapURL)
      : undefined;
    if (sourceMap) {
      for (const file of sourceMap.sources) {
        for (const [line, positions] of sourceMap.mappedPositions(file)) {
          if (positions.some((position) => countAt((lineStarts[position.line] ?? 0) + position.column) > 0))
            add(file, line);
        }
      }
      continue;
    }
    const file = script.url.startsWith('file:') ? fileURLToPath(script.url) : script.url;
    script.source.split('\n').forEach((text, index) => {
      const indent = text.search(/\S/);
      if (indent < 0 || /^\s*(\/\/|\/\*|\*|[})\]];?\s*$)/.test(text)) return;
      if (countAt((lineStarts[index] ?? 0) + indent) > 0) add(file, index + 1);
    });
  }
  return covered;
}
