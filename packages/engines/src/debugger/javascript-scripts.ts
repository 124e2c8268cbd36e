import type inspector from 'node:inspector';
import { fileURLToPath } from 'node:url';
import { parseSourceMap, type ParsedSourceMap } from './parse-source-map.ts';

const agentFile = fileURLToPath(new URL('./javascript-debug-agent.ts', import.meta.url));

export interface ScriptRecord {
  file: string;
  sourceMap?: ParsedSourceMap;
}

/** A 1-based line and column in an original (.ts or .js) file. */
export interface OriginalPosition {
  file: string;
  line: number;
  column: number;
}

/**
 * The scripts V8 has parsed in the debuggee, with their source maps, and the translation of V8 locations
 * (0-based, generated code) into positions people read (1-based, original file).
 *
 * @example const position = new JavaScriptScripts().originalPosition(callFrame.location);
 */
export class JavaScriptScripts {
  private readonly scripts = new Map<string, ScriptRecord>();

  /** Records a `Debugger.scriptParsed` notification; scripts without a file (Node internals, eval) are skipped. */
  record({ scriptId, url, sourceMapURL }: inspector.Debugger.ScriptParsedEventDataType): void {
    const file = fileOfUrl(url);
    if (!file) return;
    const sourceMap = sourceMapURL?.startsWith('data:') ? parseSourceMap(sourceMapURL) : undefined;
    this.scripts.set(scriptId, { file, sourceMap });
  }

  get(scriptId: string): ScriptRecord | undefined {
    return this.scripts.get(scriptId);
  }

  /** Whether V8 has parsed `file` (itself, or a script compiled from it): its code has started to load. */
  knows(file: string): boolean {
    return [...this.scripts.values()].some(
      (script) => script.file === file || script.sourceMap?.sources.includes(file),
    );
  }

  /** Parsed scripts whose source map has `file` among its sources. */
  mappedFrom(file: string): [string, ScriptRecord][] {
    return [...this.scripts.entries()].filter(([, script]) => script.sourceMap?.sources.includes(file));
  }

  originalPosition(location: inspector.Debugger.Location): OriginalPosition | undefined {
    const script = this.scripts.get(location.scriptId);
    if (!script) return undefined;
    if (!script.sourceMap) {
      return { file: script.file, line: location.lineNumber + 1, column: (location.columnNumber ?? 0) + 1 };
    }
    const original = script.sourceMap.toOriginal({
      line: location.lineNumber,
      column: location.columnNumber ?? 0,
    });
    return original && { file: original.file, line: original.line, column: original.column + 1 };
  }

  /** Whether a script is the user's code rather than Node's, a dependency's, or the agent's. */
  isUserScript(scriptId: string): boolean {
    return isUserFile(this.scripts.get(scriptId)?.file);
  }
}

/**
 * The file behind a script URL (`file://` for ES modules, a plain path for CommonJS), if any.
 *
 * @example fileOfUrl('file:///app/main.ts') // => '/app/main.ts'
 */
export function fileOfUrl(url: string): string | undefined {
  if (url.startsWith('file://')) return fileURLToPath(url);
  if (url.startsWith('/')) return url;
  return undefined;
}

/**
 * Whether a file is user code: not under node_modules and not the agent.
 *
 * @example isUserFile('/app/node_modules/chai/index.js') // => false
 */
export function isUserFile(file: string | undefined): file is string {
  return file !== undefined && !file.includes('/node_modules/') && file !== agentFile;
}
