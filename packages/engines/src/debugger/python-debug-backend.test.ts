import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { pythonContractFixtures, runDebugBackendContract } from './debug-backend.contract.ts';
import { createPythonDebugBackend } from './python-debug-backend.ts';

runDebugBackendContract({
  create: () => createPythonDebugBackend(),
  language: 'python',
  fixtures: pythonContractFixtures,
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
