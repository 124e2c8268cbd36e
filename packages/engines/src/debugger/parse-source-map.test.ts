import { describe, expect, it } from 'vitest';
import { parseSourceMap } from './parse-source-map.ts';

// Generated `let a=1;let b=2;` on one line from a.ts lines 1 and 3 (line 2 blank), as tsx emits modules.
const map = {
  version: 3,
  sources: ['/app/a.ts'],
  names: [],
  // [0,0,0,0] -> a.ts 1:0 at column 0; [8,0,2,0] -> a.ts 3:0 at column 8
  mappings: 'AAAA,QAEA',
};
const dataUrl = `data:application/json;base64,${Buffer.from(JSON.stringify(map)).toString('base64')}`;

describe('parseSourceMap', () => {
  it('maps an original line to its generated position, moving blank lines to the next line with code', () => {
    const parsed = parseSourceMap(dataUrl);
    expect(parsed?.toGenerated('/app/a.ts', 1)).toEqual({ position: { line: 0, column: 0 }, line: 1 });
    expect(parsed?.toGenerated('/app/a.ts', 2)).toEqual({ position: { line: 0, column: 8 }, line: 3 });
    expect(parsed?.toGenerated('/app/a.ts', 4)).toBeUndefined();
  });

  it('maps generated positions back to 1-based original lines', () => {
    const parsed = parseSourceMap(JSON.stringify(map));
    expect(parsed?.toOriginal({ line: 0, column: 10 })).toEqual({ file: '/app/a.ts', line: 3, column: 0 });
    expect([...(parsed?.mappedPositions('/app/a.ts').keys() ?? [])]).toEqual([1, 3]);
  });

  it('answers undefined for something that is not a source map', () => {
    expect(parseSourceMap('data:application/json;base64,bm90IGpzb24=')).toBeUndefined();
  });
});
