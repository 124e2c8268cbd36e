import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runDebugBackendContract } from './debug-backend.contract.ts';
import { createPythonDebugBackend } from './python-debug-backend.ts';

runDebugBackendContract({
  create: () => createPythonDebugBackend(),
  language: 'python',
  fixtures: {
    directory: fileURLToPath(new URL('../../fixtures/debugger/contract/python', import.meta.url)),
    extension: '.py',
    infiniteExpression: '[0 for _ in iter(int, 1)]',
    longStringExpression: "'x' * 1000",
  },
});

describe('Python debug backend', () => {
  it('says clearly when the interpreter cannot start', async () => {
    const backend = createPythonDebugBackend({ python: '/nonexistent/python3' });
    const program = fileURLToPath(
      new URL('../../fixtures/debugger/contract/python/basic.py', import.meta.url),
    );
    await expect(backend.launch({ program })).rejects.toMatchObject({ code: 'interpreter_not_found' });
  });
});
