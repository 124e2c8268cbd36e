import { describe, expect, it } from 'vitest';
import { createTestVectorsTool, type TestVectorsToolOutput } from './test-vectors-tool.ts';

describe('createTestVectorsTool', () => {
  it('runs the engine on source the model sends and returns findings', async () => {
    const testVectors = createTestVectorsTool({ budget: 40 });
    const source = `/** Average of the values. */\nexport function mean(values: number[]): number {\n  return values.reduce((a, b) => a + b, 0) / values.length;\n}\n`;
    const output = (await testVectors.execute!(
      { source, language: 'typescript' },
      { toolCallId: 'call-1', messages: [] },
    )) as TestVectorsToolOutput;
    expect(output.findings.map((finding) => finding.kind)).toContain('non-finite-result');
    expect(output.summary).toMatch(/## mean/);
    expect(output.vectorsExecuted).toBeGreaterThan(10);
  });

  it('rejects input that is not a module in a supported language', async () => {
    const testVectors = createTestVectorsTool();
    const schema = testVectors.inputSchema as { safeParse(value: unknown): { success: boolean } };
    expect(schema.safeParse({ source: '', language: 'typescript' }).success).toBe(false);
    expect(schema.safeParse({ source: 'x', language: 'cobol' }).success).toBe(false);
  });
});
