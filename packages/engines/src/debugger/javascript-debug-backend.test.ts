import { fileURLToPath } from 'node:url';
import { runDebugBackendContract } from './debug-backend.contract.ts';
import { createJavaScriptDebugBackend } from './javascript-debug-backend.ts';

runDebugBackendContract({
  create: createJavaScriptDebugBackend,
  language: 'javascript',
  fixtures: {
    directory: fileURLToPath(new URL('../../fixtures/debugger/contract/javascript', import.meta.url)),
    extension: '.ts',
    infiniteExpression: '(() => { while (true) {} })()',
  },
});
