// The executor process for JavaScript and TypeScript modules (see ../executor-protocol.ts). Started by the
// engine inside the sandbox as `node --import <tsx> node-executor.ts <module>`; never imported.
import { readFileSync, writeSync } from 'node:fs';
import { Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { ExecutorMessage, ExecutorRequest } from '../executor-protocol.ts';
import { decodeValue, encodeValue } from '../js-value-codec.ts';
import type { EncodedValue } from '../encoded-value.ts';

const requestDescriptor = 3;
const responseDescriptor = 4;
const maximumIteratedItems = 100_000;
const sourceLines = new Map<string, string[]>();

function send(message: ExecutorMessage): void {
  writeSync(responseDescriptor, `${JSON.stringify(message)}\n`);
}

const modulePath = process.argv[2];
if (!modulePath) {
  send({ type: 'import-error', error: { type: 'UsageError', message: 'usage: node-executor <module>' } });
  process.exit(2);
}

let moduleNamespace: Record<string, unknown>;
try {
  moduleNamespace = (await import(pathToFileURL(modulePath).href)) as Record<string, unknown>;
} catch (error) {
  const { type, message } = describeError(error);
  send({ type: 'import-error', error: { type, message } });
  process.exit(0);
}

function isClass(value: unknown): value is new () => unknown {
  return typeof value === 'function' && /^class\b/.test(Function.prototype.toString.call(value));
}

function listCallables(namespace: Record<string, unknown>): string[] {
  const names: string[] = [];
  for (const [name, value] of Object.entries(namespace)) {
    if (isClass(value)) {
      for (const key of Object.getOwnPropertyNames(value)) {
        if (typeof (value as unknown as Record<string, unknown>)[key] === 'function')
          names.push(`${name}.${key}`);
      }
      for (const key of Object.getOwnPropertyNames(value.prototype)) {
        if (key !== 'constructor' && typeof (value.prototype as Record<string, unknown>)[key] === 'function')
          names.push(`${name}.${key}`);
      }
    } else if (typeof value === 'function') {
      names.push(name);
    }
  }
  return names;
}

function resolveCallable(name: string): (...args: unknown[]) => unknown {
  const [first = '', member] = name.split('.', 2);
  const exported = moduleNamespace[first];
  if (member === undefined) {
    if (typeof exported !== 'function') throw new ReferenceError(`the module exports no function "${name}"`);
    return exported as (...args: unknown[]) => unknown;
  }
  if (!isClass(exported)) throw new ReferenceError(`the module exports no class "${first}"`);
  const staticMember = (exported as unknown as Record<string, unknown>)[member];
  if (typeof staticMember === 'function')
    return (staticMember as (...args: unknown[]) => unknown).bind(exported);
  const instance = new exported() as Record<string, unknown>;
  const method = instance[member];
  if (typeof method !== 'function') throw new ReferenceError(`class "${first}" has no method "${member}"`);
  return (method as (...args: unknown[]) => unknown).bind(instance);
}

/** Whether the error was thrown on purpose by a `throw` in user code, rather than raised by the runtime. */
function isDeliberate(error: Error): boolean {
  const frame = /\((file:\/\/[^)]+|\/[^)]+):(\d+):(\d+)\)|at (file:\/\/\S+|\/\S+):(\d+):(\d+)/.exec(
    (error.stack ?? '').split('\n').slice(1, 2).join('\n'),
  );
  if (!frame) return false;
  const location = frame[1] ?? frame[4] ?? '';
  const line = Number(frame[2] ?? frame[5]);
  const file = location.startsWith('file://') ? fileURLToPath(location) : location;
  if (file.includes('/node_modules/') || file.startsWith('node:')) return false;
  let lines = sourceLines.get(file);
  if (!lines) {
    try {
      lines = readFileSync(file, 'utf8').split('\n');
    } catch {
      return false;
    }
    sourceLines.set(file, lines);
  }
  const text = lines[line - 1] ?? '';
  return /\bthrow\b|\bnew\s+\w*(Error|Exception)\b|\breject\(/.test(text);
}

function describeError(error: unknown): { type: string; message: string; native: boolean } {
  if (error instanceof Error) {
    return {
      type: error.name || error.constructor.name,
      message: error.message.slice(0, 2000),
      native: !isDeliberate(error),
    };
  }
  return { type: typeof error, message: String(error).slice(0, 2000), native: false };
}

async function materialize(value: unknown): Promise<unknown> {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value) || value instanceof Map || value instanceof Set || ArrayBuffer.isView(value))
    return value;
  const candidate = value as {
    next?: unknown;
    [Symbol.iterator]?: unknown;
    [Symbol.asyncIterator]?: unknown;
  };
  if (typeof candidate.next === 'function' && typeof candidate[Symbol.iterator] === 'function') {
    const items: unknown[] = [];
    for (const item of value as Iterable<unknown>) {
      items.push(item);
      if (items.length >= maximumIteratedItems) break;
    }
    return items;
  }
  if (typeof candidate.next === 'function' && typeof candidate[Symbol.asyncIterator] === 'function') {
    const items: unknown[] = [];
    for await (const item of value as AsyncIterable<unknown>) {
      items.push(item);
      if (items.length >= maximumIteratedItems) break;
    }
    return items;
  }
  return value;
}

/** Properties the call added to Object.prototype (removed again, so later calls start clean). */
function takePollution(before: Set<string>): string[] {
  const added = Object.getOwnPropertyNames(Object.prototype).filter((name) => !before.has(name));
  for (const name of added) delete (Object.prototype as Record<string, unknown>)[name];
  return added;
}

async function callOnce(
  name: string,
  encodedArguments: EncodedValue[],
): Promise<{
  value?: EncodedValue;
  error?: ReturnType<typeof describeError>;
  durationMs: number;
  mutated: number[];
  pollution: string[];
}> {
  // A fresh instance for every call of a method, so that state kept by one call cannot look like
  // non-determinism in the next.
  const callable = resolveCallable(name);
  const prototypeBefore = new Set(Object.getOwnPropertyNames(Object.prototype));
  const args = encodedArguments.map(decodeValue);
  // Trailing `undefined` arguments stand for missing ones: call with fewer arguments, as a caller would.
  while (args.length > 0 && args[args.length - 1] === undefined) args.pop();
  const before = args.map((argument) => JSON.stringify(encodeValue(argument)));
  const started = performance.now();
  try {
    const value = await materialize(await callable(...args));
    const durationMs = performance.now() - started;
    const pollution = takePollution(prototypeBefore);
    return { value: encodeValue(value), durationMs, mutated: changedArguments(args, before), pollution };
  } catch (error) {
    const durationMs = performance.now() - started;
    const pollution = takePollution(prototypeBefore);
    return { error: describeError(error), durationMs, mutated: changedArguments(args, before), pollution };
  }
}

function changedArguments(args: unknown[], before: string[]): number[] {
  const changed: number[] = [];
  args.forEach((argument, index) => {
    if (JSON.stringify(encodeValue(argument)) !== before[index]) changed.push(index);
  });
  return changed;
}

async function run(request: ExecutorRequest): Promise<void> {
  try {
    resolveCallable(request.function);
  } catch (error) {
    send({
      type: 'result',
      id: request.id,
      outcome: { status: 'threw', error: describeError(error), durationMs: 0, mutatedArguments: [] },
    });
    return;
  }
  const first = await callOnce(request.function, request.arguments);
  if (first.error) {
    send({
      type: 'result',
      id: request.id,
      outcome: {
        status: 'threw',
        error: first.error,
        durationMs: first.durationMs,
        mutatedArguments: first.mutated,
        ...(first.pollution.length > 0 ? { prototypePollution: first.pollution } : {}),
      },
    });
    return;
  }
  const value = first.value ?? { $: 'undefined' };
  let secondValue: EncodedValue | undefined;
  if (request.repeat === 2) {
    const second = await callOnce(request.function, request.arguments);
    const secondEncoded: EncodedValue = second.error
      ? { $: 'opaque', type: 'thrown', repr: `${second.error.type}: ${second.error.message}` }
      : (second.value ?? { $: 'undefined' });
    if (JSON.stringify(secondEncoded) !== JSON.stringify(value)) secondValue = secondEncoded;
  }
  send({
    type: 'result',
    id: request.id,
    outcome: {
      status: 'returned',
      value,
      durationMs: first.durationMs,
      mutatedArguments: first.mutated,
      ...(secondValue === undefined ? {} : { secondValue }),
      ...(first.pollution.length > 0 ? { prototypePollution: first.pollution } : {}),
    },
  });
}

send({ type: 'ready', exports: listCallables(moduleNamespace) });

// A socket, not fs.createReadStream: a blocking read parked in libuv's thread pool would keep
// process.exit() (called by code under test) from ever finishing.
const lines = createInterface({
  input: new Socket({ fd: requestDescriptor, readable: true, writable: false }),
  crlfDelay: Infinity,
});
for await (const line of lines) {
  if (!line.trim()) continue;
  let request: ExecutorRequest;
  try {
    request = JSON.parse(line) as ExecutorRequest;
  } catch (error) {
    send({
      type: 'result',
      id: '',
      outcome: {
        status: 'threw',
        error: { type: 'ExecutorProtocolError', message: String(error), native: false },
        durationMs: 0,
        mutatedArguments: [],
      },
    });
    continue;
  }
  await run(request);
}
process.exit(0);
