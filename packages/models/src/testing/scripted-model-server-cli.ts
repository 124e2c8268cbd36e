// Entry file: runs a scripted model server until SIGINT or SIGTERM.
//   node --import tsx packages/models/src/testing/scripted-model-server-cli.ts --port 8787 \
//     [--host 127.0.0.1] [--text "..."] [--tokens-per-second N] [--tokens-per-chunk N] [--latency-ms N]
import { parseArgs } from 'node:util';
import { startScriptedModelServer, type ScriptedTurn } from './scripted-model-server.ts';

const usage =
  'Usage: scripted-model-server-cli [--port 8787] [--host 127.0.0.1] [--text "..."] [--tokens-per-second N] [--tokens-per-chunk N] [--latency-ms N]';

function parseNumberOption(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const number = Number(value);
  if (value.trim() === '' || !Number.isFinite(number) || number < 0) {
    console.error(`--${name} must be a number of zero or more, got "${value}".\n${usage}`);
    process.exit(2);
  }
  return number;
}

let values;
try {
  ({ values } = parseArgs({
    options: {
      port: { type: 'string', default: '0' },
      host: { type: 'string', default: '127.0.0.1' },
      text: { type: 'string' },
      'tokens-per-second': { type: 'string' },
      'tokens-per-chunk': { type: 'string' },
      'latency-ms': { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  }));
} catch (error) {
  console.error(`${error instanceof Error ? error.message : String(error)}\n${usage}`);
  process.exit(2);
}
if (values.help) {
  console.log(usage);
  process.exit(0);
}

const defaultTurn: ScriptedTurn = {
  text: values.text ?? 'OK',
  tokensPerSecond: parseNumberOption('tokens-per-second', values['tokens-per-second']),
  tokensPerChunk: parseNumberOption('tokens-per-chunk', values['tokens-per-chunk']),
  latencyMs: parseNumberOption('latency-ms', values['latency-ms']),
};
const server = await startScriptedModelServer({
  port: parseNumberOption('port', values.port),
  host: values.host,
  defaultTurn,
  recordRequests: false,
});
console.log(server.url);

let closing = false;
function shutDown(): void {
  if (closing) return;
  closing = true;
  server.close().then(
    () => process.exit(0),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
process.on('SIGINT', shutDown);
process.on('SIGTERM', shutDown);
