// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/** Packages and the internal packages each may import (see ARCHITECTURE.md, "Dependency direction"). */
const allowedInternalImports = {
  protocol: [],
  engines: ['protocol'],
  models: ['protocol', 'engines'],
  server: ['protocol', 'models', 'engines'],
  sdk: ['protocol'],
  cli: ['sdk', 'protocol', 'engines', 'server', 'models'],
};

const boundaryRules = Object.entries(allowedInternalImports).map(([packageName, allowed]) => ({
  files: [`packages/${packageName}/**/*.ts`],
  rules: {
    'no-restricted-imports': [
      'error',
      {
        patterns: [
          {
            group: Object.keys(allowedInternalImports)
              .filter((other) => other !== packageName && !allowed.includes(other))
              .map((other) => `@plumb/${other}`),
            message: `@plumb/${packageName} may only import ${allowed.length ? allowed.map((name) => '@plumb/' + name).join(', ') : 'no other Plumb package'} (ARCHITECTURE.md).`,
          },
          {
            group: ['../../*/src/*', '../../../*/src/*'],
            message: 'Import other packages by name, not by path.',
          },
        ].filter((pattern) => pattern.group.length > 0),
      },
    ],
  },
}));

export default tseslint.config(
  {
    ignores: [
      '**/node_modules/**',
      'bench/results/**',
      'coverage/**',
      // Code under test for the engines: deliberately buggy, sometimes not even valid.
      'packages/*/src/**/testdata/**',
      'packages/*/fixtures/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/require-await': 'off',
      '@typescript-eslint/restrict-template-expressions': [
        'error',
        { allowNumber: true, allowBoolean: true },
      ],
    },
  },
  ...boundaryRules,
  {
    files: ['**/*.js'],
    ...tseslint.configs.disableTypeChecked,
  },
);
