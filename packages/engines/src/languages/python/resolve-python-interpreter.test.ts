import { describe, expect, it } from 'vitest';
import { resolvePythonInterpreter } from './resolve-python-interpreter.ts';

describe('resolvePythonInterpreter', () => {
  it('prefers the explicit option, then PLUMB_PYTHON', () => {
    expect(resolvePythonInterpreter('/opt/python', { PLUMB_PYTHON: '/env/python' })).toBe('/opt/python');
    expect(resolvePythonInterpreter(undefined, { PLUMB_PYTHON: '/env/python' })).toBe('/env/python');
    expect(resolvePythonInterpreter('', { PLUMB_PYTHON: ' /env/python ' })).toBe('/env/python');
  });

  it("uses Debian's /usr/bin/python3 when it exists, else python3 from PATH", () => {
    expect(resolvePythonInterpreter(undefined, {}, (file) => file === '/usr/bin/python3')).toBe(
      '/usr/bin/python3',
    );
    expect(resolvePythonInterpreter(undefined, { PLUMB_PYTHON: '' }, () => false)).toBe('python3');
  });
});
