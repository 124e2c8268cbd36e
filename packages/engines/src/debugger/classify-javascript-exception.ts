import type inspector from 'node:inspector';
import type { ExceptionFilter } from './debug-backend.ts';
import { asyncCallFrames, type UserFrame } from './build-javascript-snapshot.ts';
import { isInsideTryBlock } from './is-inside-try-block.ts';
import { isUserFile, type JavaScriptScripts } from './javascript-scripts.ts';

type PausedEvent = inspector.Debugger.PausedEventDataType;

/**
 * Whether an exception pause is one the exception filters ask to stop at. V8 pauses on every exception (the
 * backend asks for 'all'), because it predicts an ES module's top-level throw as caught by the module's own
 * promise; "uncaught" is therefore decided here: no user frame (or awaiting user caller) sits inside a
 * `try { } catch`. Assertion errors count when they come from a library such as node:assert.
 *
 * @example isWantedException(pausedEvent, userFrames, ['uncaught'], scripts) // => true for a top-level TypeError
 */
export function isWantedException(
  event: PausedEvent,
  userFrames: UserFrame[],
  filters: ExceptionFilter[],
  scripts: JavaScriptScripts,
): boolean {
  if (userFrames.length === 0) return false;
  const data = event.data as (inspector.Runtime.RemoteObject & { uncaught?: boolean }) | undefined;
  const isAssertion = data?.className === 'AssertionError' || /^AssertionError/.test(data?.description ?? '');
  const topIsUser = userFrames[0]?.index === 0;
  if (filters.includes('assertion') && isAssertion) return true;
  if (filters.includes('all') && topIsUser) return true;
  if (!filters.includes('uncaught')) return false;
  if (data?.uncaught === true) return true;
  if (!topIsUser && !isAssertion) return false;
  const locations = [
    ...userFrames.map(({ frame }) => frame.location),
    ...asyncCallFrames(event).map((frame) => ({
      scriptId: frame.scriptId,
      lineNumber: frame.lineNumber,
      columnNumber: frame.columnNumber,
    })),
  ];
  return !locations.some((location) => {
    const position = scripts.originalPosition(location);
    return (
      position !== undefined &&
      isUserFile(position.file) &&
      isInsideTryBlock(position.file, position.line, position.column)
    );
  });
}
