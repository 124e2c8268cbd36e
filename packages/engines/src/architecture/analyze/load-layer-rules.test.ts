import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { compileGlob } from './compile-glob.ts';
import { loadLayerRules, parseLayerRules } from './load-layer-rules.ts';

const testdata = path.join(path.dirname(fileURLToPath(import.meta.url)), 'testdata');

describe('loadLayerRules', () => {
  it('reads layers and forbidden directions from YAML', () => {
    const rules = loadLayerRules(path.join(testdata, 'layers.yaml'));
    expect(rules.layers).toEqual({ ui: ['src/ui/**'], domain: ['src/domain/**'], db: ['src/db/**'] });
    expect(rules.forbidden).toEqual(['ui -> db', 'domain -> ui']);
  });

  it('names the field of a rule that mentions an undeclared layer', () => {
    expect(() => loadLayerRules(path.join(testdata, 'layers-bad.yaml'))).toThrow(
      expect.objectContaining({ code: 'invalid_request', param: 'forbidden.1' }),
    );
    expect(() => loadLayerRules(path.join(testdata, 'layers-bad.yaml'))).toThrow(/"persistence"/);
  });

  it('rejects malformed rules and missing files with the field path', () => {
    expect(() => parseLayerRules({ layers: { ui: 'src/ui' } })).toThrow(
      expect.objectContaining({ param: 'layers.ui' }),
    );
    expect(() => parseLayerRules({ layers: { ui: ['a'] }, forbidden: ['ui => db'] })).toThrow(
      expect.objectContaining({ param: 'forbidden.0' }),
    );
    expect(() => loadLayerRules(path.join(testdata, 'missing.yaml'))).toThrow(
      expect.objectContaining({ code: 'source_not_found' }),
    );
  });

  it('accepts JSON text as well (YAML is a superset)', () => {
    const rules = parseLayerRules(JSON.parse('{"layers":{"a":["x/**"]}}'));
    expect(rules.forbidden).toEqual([]);
  });
});

describe('compileGlob', () => {
  it('matches folders, single segments and alternatives', () => {
    expect(compileGlob('src/ui/**')('src/ui/pages/home.tsx')).toBe(true);
    expect(compileGlob('src/ui/**')('src/uikit/a.ts')).toBe(false);
    expect(compileGlob('src/*.ts')('src/a.ts')).toBe(true);
    expect(compileGlob('src/*.ts')('src/nested/a.ts')).toBe(false);
    expect(compileGlob('**/db/*.{ts,js}')('packages/x/db/pool.js')).toBe(true);
    expect(compileGlob('**/db/*.{ts,js}')('db/pool.ts')).toBe(true);
    expect(compileGlob('src/db')('src/db/pool.ts')).toBe(true);
  });
});
