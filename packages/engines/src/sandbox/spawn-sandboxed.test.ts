import { existsSync, readFileSync } from 'node:fs';
import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import { detectIsolation } from './detect-isolation.ts';
import { spawnSandboxed, type SandboxOptions } from './spawn-sandboxed.ts';

async function runNode(script: string, options: Partial<SandboxOptions> = {}) {
  const sandboxed = spawnSandboxed({ command: process.execPath, args: ['-e', script], ...options });
  let output = '';
  sandboxed.child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  sandboxed.child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const [code] = (await once(sandboxed.child, 'exit')) as [number | null];
  sandboxed.dispose();
  return {
    code,
    output: output.trim(),
    workingDirectory: sandboxed.workingDirectory,
    isolation: sandboxed.isolation,
  };
}

describe('spawnSandboxed', () => {
  it('runs in a temporary working directory that dispose removes', async () => {
    const result = await runNode('console.log(process.cwd())');
    expect(result.code).toBe(0);
    expect(result.output).toBe(result.workingDirectory);
    expect(existsSync(result.workingDirectory)).toBe(false);
  });

  it('does not pass secrets from the environment', async () => {
    process.env.PLUMB_TEST_SECRET = 'hunter2';
    try {
      const result = await runNode('console.log(JSON.stringify(process.env))');
      expect(result.output).not.toContain('hunter2');
      expect(JSON.parse(result.output)).toHaveProperty('HOME', result.workingDirectory);
    } finally {
      delete process.env.PLUMB_TEST_SECRET;
    }
  });

  it.runIf(detectIsolation() !== 'none')('denies the network', async () => {
    // PostgreSQL or anything else listening on loopback must be unreachable from inside.
    const script = `require('node:net').connect(5432, '127.0.0.1').on('connect', () => { console.log('connected'); process.exit(0); }).on('error', (e) => { console.log(e.code); process.exit(0); });`;
    const result = await runNode(script);
    expect(result.output).not.toBe('connected');
  });

  it.runIf(detectIsolation() === 'bubblewrap')(
    'keeps the file system read-only outside the working directory',
    async () => {
      const result = await runNode(
        `try { require('fs').writeFileSync('/work-escape-test', 'x'); console.log('wrote'); } catch (e) { console.log(e.code); }`,
      );
      expect(result.output).toMatch(/EROFS|EACCES|EPERM/);
      expect(existsSync('/work-escape-test')).toBe(false);
    },
  );

  it('kills the whole process group, grandchildren included', async () => {
    // Without a PID namespace, so that the grandchild's PID is ours to check.
    const sandboxed = spawnSandboxed({
      isolation: 'none',
      command: process.execPath,
      args: [
        '-e',
        `const c = require('child_process').spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' }); console.log(c.pid); setInterval(() => {}, 1000);`,
      ],
    });
    const [chunk] = (await once(sandboxed.child.stdout!, 'data')) as [Buffer];
    const grandchild = Number(chunk.toString().trim());
    const exited = once(sandboxed.child, 'exit');
    sandboxed.dispose();
    await exited;
    await new Promise((resolve) => setTimeout(resolve, 100));
    // Gone, or a zombie waiting for init to reap it: either way it no longer runs.
    const state = existsSync(`/proc/${grandchild}/stat`)
      ? readFileSync(`/proc/${grandchild}/stat`, 'utf8').split(') ')[1]?.[0]
      : 'gone';
    expect(['gone', 'Z', 'X']).toContain(state);
  });

  it('reports which isolation it used', async () => {
    const result = await runNode('1', { isolation: 'none' });
    expect(result.isolation).toBe('none');
  });
});
