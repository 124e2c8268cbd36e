import { fileURLToPath } from 'node:url';
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
