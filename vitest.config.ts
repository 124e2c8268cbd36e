import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['packages/*/src/**/*.test.ts', 'packages/*/test/**/*.test.ts'],
    // Inputs of tests (sample repositories with their own test files) are not Plumb's tests.
    exclude: ['**/node_modules/**', 'packages/*/src/**/testdata/**'],
    testTimeout: 20_000,
    hookTimeout: 20_000,
  },
});
