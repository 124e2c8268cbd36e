import { PlumbError } from '@plumb/protocol';
import type { StopResult } from './debug-backend.ts';

/**
 * `attach` of the Python backends: they only launch. Attaching to a running Python program would need debugpy
 * listening inside it (`python -m debugpy --listen`), a port this engine keeps out of the sandbox.
 *
 * @example await createPythonDebugBackend().attach({ address: '127.0.0.1:5678' }); // throws unsupported_language
 */
export async function refusePythonAttach(): Promise<StopResult> {
  throw new PlumbError(
    'unsupported_language',
    'Attaching is for JavaScript/TypeScript programs started with `node --inspect`; launch a Python program instead (plumb debug program.py).',
    { param: 'address' },
  );
}
