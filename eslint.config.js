// Lint is part of `npm test`: type-aware rules catch the promise bugs that matter in engine code.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/', '.cache/', '.data/', 'modeler-ui/', 'dist/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      // node:test's describe/it return promises the runner itself awaits.
      '@typescript-eslint/no-floating-promises': ['error', { allowForKnownSafeCalls: [{ from: 'package', name: ['describe', 'it', 'test'], package: 'node:test' }] }],
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { arguments: false } }],
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      // Domain logic must never depend on Express: routes are the only HTTP-aware layer.
      'no-restricted-imports': 'off',
    },
  },
  {
    files: ['backend/modules/**/service.ts', 'backend/modules/**/commands/*.ts', 'backend/modules/**/queries.ts', 'backend/engine/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: [{ name: 'express', message: 'domain logic never imports Express' }] }] },
  },
  {
    files: ['scripts/**/*.mjs', '*.js'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', fetch: 'readonly', AbortSignal: 'readonly', Buffer: 'readonly' } },
  },
);
