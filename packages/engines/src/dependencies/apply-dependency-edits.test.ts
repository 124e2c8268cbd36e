import { describe, expect, it } from 'vitest';
import { applyDependencyEdits } from './apply-dependency-edits.ts';
import type { ManifestEdit } from './dependency-check-result.ts';

const manifest = `{
  // not JSON, but editors keep comments: the edit must not care
  "dependencies": {
    "chart.js":   "4.0.0-rc.1",
    "lodash": "4.17.15"
  }
}
`;
const edit = (overrides: Partial<ManifestEdit>): ManifestEdit => ({
  file: 'package.json',
  name: 'chart.js',
  from: '4.0.0-rc.1',
  to: '4.5.1',
  reason: 'pre-release',
  ...overrides,
});

describe('applyDependencyEdits', () => {
  it('changes only the version text, keeping spacing and comments', () => {
    const offset = manifest.indexOf('4.0.0-rc.1');
    const lodash = manifest.indexOf('4.17.15');
    const result = applyDependencyEdits(manifest, [
      edit({ offset }),
      edit({ name: 'lodash', from: '4.17.15', to: '4.17.21', offset: lodash }),
    ]);
    expect(result.content).toBe(manifest.replace('4.0.0-rc.1', '4.5.1').replace('4.17.15', '4.17.21'));
    expect(result.applied).toHaveLength(2);
  });

  it('falls back to the line when the offset is stale, and skips edits that no longer match', () => {
    const shifted = `\n\n${manifest}`;
    const result = applyDependencyEdits(shifted, [
      edit({ offset: manifest.indexOf('4.0.0-rc.1'), line: 6 }),
      edit({ name: 'lodash', from: '3.0.0', to: '4.17.21', line: 7 }),
    ]);
    expect(result.content).toBe(shifted.replace('4.0.0-rc.1', '4.5.1'));
    expect(result.skipped.map((skipped) => skipped.name)).toEqual(['lodash']);
  });

  it('never applies two edits to the same text', () => {
    const offset = manifest.indexOf('4.0.0-rc.1');
    const result = applyDependencyEdits(manifest, [edit({ offset }), edit({ offset, to: '9.9.9' })]);
    expect(result.applied).toHaveLength(1);
    expect(result.skipped).toHaveLength(1);
  });

  it('ignores edits with nothing to replace or beyond the file', () => {
    const result = applyDependencyEdits('', [
      edit({ from: '' }),
      edit({ line: 99 }),
      edit({ offset: 10_000 }),
    ]);
    expect(result).toEqual({ content: '', applied: [], skipped: expect.any(Array) as ManifestEdit[] });
    expect(result.skipped).toHaveLength(3);
  });
});
