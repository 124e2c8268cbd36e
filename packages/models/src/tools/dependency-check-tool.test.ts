import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRecordedRegistryClient } from '@plumb/engines';
import { describe, expect, it } from 'vitest';
import { createDependencyCheckTool, type DependencyCheckToolOutput } from './dependency-check-tool.ts';

const registry = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../../engines/fixtures/dependencies/registry',
);

describe('dependency check tool', () => {
  it('tells the model a package does not exist and which stable version of a real one to use', async () => {
    const check = createDependencyCheckTool({
      registry: [createRecordedRegistryClient(registry, { ecosystem: 'npm' })],
    });
    const output = await check.execute!(
      { code: 'npm install chart.js@^4.0.0-alpha.3 react-native-secure-file-upload-helper' },
      { toolCallId: 'call_1', messages: [] },
    );
    const { dependencies } = output as DependencyCheckToolOutput;
    const chart = dependencies.find((dependency) => dependency.name === 'chart.js');
    expect(chart?.status).toBe('fail');
    expect(chart?.recommended).toMatch(/^\^?4\./);
    const helper = dependencies.find(
      (dependency) => dependency.name === 'react-native-secure-file-upload-helper',
    );
    expect(helper?.status).toBe('fail');
  });
});
