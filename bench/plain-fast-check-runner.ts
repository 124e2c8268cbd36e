// The test-vectors benchmark's peer: plain fast-check with arbitraries derived from the declared types only
// (no documentation, no catalogue), the way a developer would write one property per function: "calling it
// with any well-typed input does not throw". A process of its own, so that a hang can be cut off:
// node --import tsx bench/plain-fast-check-runner.ts <file> <function> <seed> <runs>; prints one JSON line.
import { pathToFileURL } from 'node:url';
import fc from 'fast-check';
import { analyzeSourceFile } from '@plumb/engines';
import { decodeValue } from '../packages/engines/src/test-vectors/js-value-codec.ts';
import { shapeArbitrary } from '../packages/engines/src/test-vectors/shape-arbitrary.ts';

const [file = '', functionName = '', seedText = '1', runsText = '200'] = process.argv.slice(2);
const analysis = await analyzeSourceFile(file);
const analyzed = analysis.functions.find((fn) => fn.name === functionName);
const namespace = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
const [first = '', member] = functionName.split('.');
const owner = namespace[first] as Record<string, unknown> | undefined;
const target = (member === undefined ? owner : owner?.[member]) as
  ((...args: unknown[]) => unknown) | undefined;
if (!analyzed || typeof target !== 'function') {
  console.log(JSON.stringify({ failed: false, error: `no function ${functionName}` }));
} else {
  const arbitraries = analyzed.parameters.map((parameter) =>
    shapeArbitrary(parameter.type, {}, 'typescript'),
  );
  const property = fc.asyncProperty(fc.tuple(...arbitraries), async (args) => {
    await target.apply(owner, args.map(decodeValue));
  });
  const details = await fc.check(property, { seed: Number(seedText), numRuns: Number(runsText) });
  console.log(JSON.stringify({ failed: details.failed, runs: details.numRuns }));
}
process.exit(0);
