import type inspector from 'node:inspector';
import { sourceContext } from './backend-state.ts';
import type { StateSnapshot } from './debug-backend.ts';
import type { JavaScriptInspection } from './javascript-inspection.ts';
import { isUserFile, type JavaScriptScripts } from './javascript-scripts.ts';

type PausedEvent = inspector.Debugger.PausedEventDataType;
type RemoteObject = inspector.Runtime.RemoteObject;

/** A user frame of a pause and its index in V8's call frames (the frame id clients use). */
export interface UserFrame {
  frame: inspector.Debugger.CallFrame;
  index: number;
}

export interface JavaScriptSnapshotContext {
  event: PausedEvent;
  reason: StateSnapshot['reason'];
  userFrames: UserFrame[];
  scripts: JavaScriptScripts;
  inspection: JavaScriptInspection;
  recentOutput: string[];
  hitBreakpointIds?: number[];
}

/**
 * The snapshot of a V8 pause, in original (.ts) positions: the top user frame's location, source and locals,
 * the user frames of the stack followed by the awaiting callers (async frames), and the exception if any.
 *
 * @example const snapshot = await buildJavaScriptSnapshot({ event, reason: 'breakpoint', userFrames, scripts, inspection, recentOutput: [] });
 */
export async function buildJavaScriptSnapshot(context: JavaScriptSnapshotContext): Promise<StateSnapshot> {
  const { event, reason, userFrames, scripts, inspection } = context;
  const top = userFrames[0];
  const position = top && scripts.originalPosition(top.frame.location);
  const { locals, truncated } = top
    ? await inspection.frameLocals(top.frame)
    : { locals: [], truncated: false };
  const callStack: StateSnapshot['callStack'] = userFrames.map(({ frame, index }) => {
    const where = scripts.originalPosition(frame.location);
    return {
      id: index,
      name: frameName(frame),
      file: where?.file,
      line: where?.line ?? 0,
      column: where?.column ?? 0,
    };
  });
  for (const frame of asyncCallFrames(event).slice(0, 50)) {
    const where = scripts.originalPosition({
      scriptId: frame.scriptId,
      lineNumber: frame.lineNumber,
      columnNumber: frame.columnNumber,
    });
    if (!where || !isUserFile(where.file)) continue;
    callStack.push({
      id: -1,
      name: frame.functionName || '<anonymous>',
      file: where.file,
      line: where.line,
      column: where.column,
      isAsync: true,
    });
  }
  const exception =
    event.reason === 'exception' || event.reason === 'promiseRejection'
      ? (event.data as RemoteObject | undefined)
      : undefined;
  const exceptionText =
    exception?.description?.split('\n')[0] ?? (exception ? String(exception.value) : undefined);
  return {
    reason,
    description: exceptionText,
    exception: exception
      ? {
          type: exception.className ?? exception.type,
          message: exceptionText?.replace(/^[\w$]+(\s\[\w+\])?:\s*/, '') ?? '',
        }
      : undefined,
    location: {
      file: position?.file ?? '',
      line: position?.line ?? 0,
      column: position?.column ?? 0,
      function: top ? frameName(top.frame) : '',
    },
    source: position ? sourceContext(position.file, position.line) : { startLine: 1, lines: [] },
    locals,
    localsTruncated: truncated,
    callStack,
    recentOutput: context.recentOutput,
    hitBreakpointIds: context.hitBreakpointIds,
  };
}

/**
 * The frames of the awaiting callers of a pause, innermost first.
 *
 * @example asyncCallFrames(pausedEvent).map((frame) => frame.functionName) // => ['leaderboard']
 */
export function asyncCallFrames(event: PausedEvent): inspector.Runtime.CallFrame[] {
  const frames: inspector.Runtime.CallFrame[] = [];
  for (let parent = event.asyncStackTrace; parent && frames.length < 100; parent = parent.parent) {
    frames.push(...parent.callFrames);
  }
  return frames;
}

function frameName(frame: inspector.Debugger.CallFrame): string {
  return frame.functionName || '<module>';
}
