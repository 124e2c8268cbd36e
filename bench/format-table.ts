/**
 * Renders rows as an aligned plain-text table; numbers (and `n/a`) are right-aligned, text left-aligned.
 *
 * @example
 * console.log(formatTable(['metric', 'direct'], [['p50 ms', '0.41']]));
 */
export function formatTable(headers: string[], rows: string[][]): string {
  const widths = headers.map((header, column) =>
    Math.max(header.length, ...rows.map((row) => (row[column] ?? '').length)),
  );
  const isNumeric = (cell: string) => /^[-+]?[\d,.]+( ?[a-zA-Z%/×x]*)?$|^n\/a$/.test(cell);
  const render = (cells: string[]) =>
    cells
      .map((cell, column) => {
        const width = widths[column] ?? cell.length;
        return column > 0 && isNumeric(cell) ? cell.padStart(width) : cell.padEnd(width);
      })
      .join('  ')
      .trimEnd();
  const rule = widths.map((width) => '-'.repeat(width)).join('  ');
  return [render(headers), rule, ...rows.map(render)].join('\n');
}
