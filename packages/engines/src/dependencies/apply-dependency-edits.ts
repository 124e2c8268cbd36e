import type { ManifestEdit } from './dependency-check-result.ts';

/**
 * Applies manifest edits to one file's content, changing only the version text so formatting, comments and
 * key order survive. An edit applies at its `offset` when the text there is still `from`, else at the first
 * `from` after the dependency's name on its `line`; edits that match neither are returned as `skipped`.
 * Pass only the edits of this file.
 *
 * @example applyDependencyEdits('{"a":"1.0.0-rc.1"}', [{ file: 'package.json', name: 'a', offset: 6, from: '1.0.0-rc.1', to: '1.0.0', reason: '' }]).content // => '{"a":"1.0.0"}'
 */
export function applyDependencyEdits(
  content: string,
  edits: readonly ManifestEdit[],
): { content: string; applied: ManifestEdit[]; skipped: ManifestEdit[] } {
  const located: { edit: ManifestEdit; offset: number }[] = [];
  const skipped: ManifestEdit[] = [];
  const lineStarts = [0];
  for (let index = content.indexOf('\n'); index !== -1; index = content.indexOf('\n', index + 1))
    lineStarts.push(index + 1);
  for (const edit of edits) {
    if (edit.from === '') {
      skipped.push(edit);
      continue;
    }
    if (edit.offset !== undefined && content.startsWith(edit.from, edit.offset)) {
      located.push({ edit, offset: edit.offset });
      continue;
    }
    const lineStart = edit.line === undefined ? undefined : lineStarts[edit.line - 1];
    if (lineStart === undefined) {
      skipped.push(edit);
      continue;
    }
    const lineEnd = lineStarts[edit.line ?? 0] ?? content.length;
    const lineText = content.slice(lineStart, lineEnd);
    const nameAt = lineText.indexOf(edit.name);
    const fromAt = lineText.indexOf(edit.from, nameAt === -1 ? 0 : nameAt + edit.name.length);
    if (fromAt === -1) skipped.push(edit);
    else located.push({ edit, offset: lineStart + fromAt });
  }
  // Right to left, so earlier offsets stay valid; overlapping edits keep the first.
  located.sort((left, right) => right.offset - left.offset);
  let result = content;
  let limit = Number.POSITIVE_INFINITY;
  const applied: ManifestEdit[] = [];
  for (const { edit, offset } of located) {
    if (offset + edit.from.length > limit) {
      skipped.push(edit);
      continue;
    }
    result = result.slice(0, offset) + edit.to + result.slice(offset + edit.from.length);
    limit = offset;
    applied.push(edit);
  }
  return { content: result, applied: applied.reverse(), skipped };
}
