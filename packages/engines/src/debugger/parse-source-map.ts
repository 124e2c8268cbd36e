import { SourceMap } from 'node:module';
import { fileURLToPath } from 'node:url';

/** A 0-based position in generated code. */
export interface GeneratedPosition {
  line: number;
  column: number;
}

export interface ParsedSourceMap {
  /** Absolute paths of the original files. */
  sources: string[];
  /** Original position (1-based line, 0-based column) of a generated one, if mapped. */
  toOriginal(position: GeneratedPosition): { file: string; line: number; column: number } | undefined;
  /**
   * The first generated position of original `line` (1-based) in `file`, or of the next line that has code
   * (blank lines and comments map to nothing), with the line actually used.
   */
  toGenerated(file: string, line: number): { position: GeneratedPosition; line: number } | undefined;
  /** Original lines (1-based) that have code, per file, with their generated positions. */
  mappedPositions(file: string): Map<number, GeneratedPosition[]>;
}

const base64Digits = new Map(
  [...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'].map((c, i) => [c, i]),
);

/**
 * Parses an inline (`data:` URL) or JSON source map, such as tsx attaches to every module it compiles (the
 * whole module sits on one generated line, so breakpoints must be bound through the map).
 *
 * Forward lookups use `node:module`'s `SourceMap`; it has no reverse lookup, so the mappings are decoded here
 * too (Base64 VLQ, as in the source map v3 spec).
 *
 * @example parseSourceMap(scriptParsed.sourceMapURL)?.toGenerated('/app/main.ts', 3) // => { position: { line: 0, column: 120 }, line: 3 }
 */
export function parseSourceMap(source: string): ParsedSourceMap | undefined {
  let payload: { sources: string[]; mappings: string; sourceRoot?: string };
  try {
    const json = source.startsWith('data:')
      ? Buffer.from(source.slice(source.indexOf(',') + 1), 'base64').toString('utf8')
      : source;
    payload = JSON.parse(json) as typeof payload;
  } catch {
    return undefined;
  }
  const sources = payload.sources.map((entry) => (entry.startsWith('file:') ? fileURLToPath(entry) : entry));
  const nodeSourceMap = new SourceMap(payload as ConstructorParameters<typeof SourceMap>[0]);
  // file index -> original line (1-based) -> generated positions, in generated order
  const byOriginal: Map<number, GeneratedPosition[]>[] = sources.map(
    () => new Map<number, GeneratedPosition[]>(),
  );
  let sourceIndex = 0;
  let originalLine = 0;
  payload.mappings.split(';').forEach((lineText, generatedLine) => {
    let generatedColumn = 0;
    for (const segment of lineText.split(',')) {
      if (!segment) continue;
      const fields = decodeVlq(segment);
      generatedColumn += fields[0] ?? 0;
      if (fields.length < 4) continue;
      sourceIndex += fields[1] ?? 0;
      originalLine += fields[2] ?? 0;
      const lines = byOriginal[sourceIndex];
      if (!lines) continue;
      const positions = lines.get(originalLine + 1) ?? [];
      positions.push({ line: generatedLine, column: generatedColumn });
      lines.set(originalLine + 1, positions);
    }
  });

  return {
    sources,
    toOriginal({ line, column }) {
      const entry = nodeSourceMap.findEntry(line, column) as Partial<{
        originalSource: string;
        originalLine: number;
        originalColumn: number;
      }>;
      if (entry.originalSource === undefined || entry.originalLine === undefined) return undefined;
      const file = entry.originalSource.startsWith('file:')
        ? fileURLToPath(entry.originalSource)
        : entry.originalSource;
      return { file, line: entry.originalLine + 1, column: entry.originalColumn ?? 0 };
    },
    toGenerated(file, line) {
      const lines = byOriginal[sources.indexOf(file)];
      if (!lines) return undefined;
      const candidates = [...lines.keys()].filter((mapped) => mapped >= line).sort((a, b) => a - b);
      const used = candidates[0];
      const position = used === undefined ? undefined : lines.get(used)?.[0];
      return used === undefined || !position ? undefined : { position, line: used };
    },
    mappedPositions(file) {
      return byOriginal[sources.indexOf(file)] ?? new Map();
    },
  };
}

function decodeVlq(segment: string): number[] {
  const values: number[] = [];
  let value = 0;
  let shift = 0;
  for (const character of segment) {
    const digit = base64Digits.get(character) ?? 0;
    value += (digit & 31) << shift;
    if (digit & 32) {
      shift += 5;
    } else {
      values.push(value & 1 ? -(value >>> 1) : value >>> 1);
      value = 0;
      shift = 0;
    }
  }
  return values;
}
