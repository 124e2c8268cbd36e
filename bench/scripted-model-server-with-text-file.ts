// Entry file (a child process of the bench): the scripted model server answering with the text of a file.
//   node --import tsx bench/scripted-model-server-with-text-file.ts --port N --text-file PATH [--tokens-per-second N]
// The relay scenario streams ~200,000 tokens; as `--text` that is over 400 KB, and Linux refuses any single
// command-line argument above 128 KiB, so the CLI in packages/models cannot be given it. This wrapper runs the
// very same server code (startScriptedModelServer) and differs from that CLI only in where the text comes from.
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { startScriptedModelServer } from '@plumb/models/testing';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '0' },
    'text-file': { type: 'string' },
    'tokens-per-second': { type: 'string' },
  },
});
if (values['text-file'] === undefined) {
  console.error(
    'Usage: scripted-model-server-with-text-file --text-file PATH [--port N] [--tokens-per-second N]',
  );
  process.exit(2);
}
const tokensPerSecond =
  values['tokens-per-second'] === undefined ? undefined : Number(values['tokens-per-second']);
const server = await startScriptedModelServer({
  port: Number(values.port),
  defaultTurn: { text: await readFile(values['text-file'], 'utf8'), tokensPerSecond },
  recordRequests: false,
});
console.log(server.url);

const shutDown = () => {
  server.close().then(
    () => process.exit(0),
    () => process.exit(1),
  );
};
process.on('SIGINT', shutDown);
process.on('SIGTERM', shutDown);
