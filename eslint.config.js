// ESLint flat config: typescript-eslint's type-aware recommended rules, plus the layering rule
// from STYLE.md (binlog/ and gtid/ are pure: no sockets, timers or protocol imports).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const pureLayers = {
  patterns: [
    {
      group: ['node:net', 'node:tls', 'node:timers', 'node:timers/*', 'node:fs', 'node:fs/*'],
      message: 'decoders are pure: no I/O',
    },
    {
      group: ['**/protocol/**', '**/replication/**', '**/file/**', '**/cli/**'],
      message: 'imports flow one way (STYLE.md §1)',
    },
  ],
};

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'node_modules/**',
      'coverage/**',
      'bin/**',
      'scratch/**',
      'docs/**',
      'eslint.config.js',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/restrict-template-expressions': 'off',
      'no-empty': ['error', { allowEmptyCatch: false }],
    },
  },
  // node:test's test()/describe() return promises the runner tracks itself.
  { files: ['test/**/*.ts', 'bench/**/*.ts'], rules: { '@typescript-eslint/no-floating-promises': 'off' } },
  {
    files: ['src/binlog/**/*.ts', 'src/gtid/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', pureLayers] },
  },
  {
    files: ['**/*.mjs', '**/*.js'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: {
      ...tseslint.configs.disableTypeChecked.languageOptions,
      globals: {
        process: 'readonly',
        console: 'readonly',
        URL: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
      },
    },
  },
);
