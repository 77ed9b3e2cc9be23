import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'coverage/', '.glimpse/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: 'readonly', console: 'readonly' } },
    rules: {
      // Diagnostics go through the pino logger (#core/logging/logger.js); see the CLI exception below.
      'no-console': 'error',
      // A function fits on a screen (the house aims at ~60 lines; 80 is the hard limit).
      'max-lines-per-function': ['error', { max: 80, skipBlankLines: true, skipComments: true }],
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' },
      ],
      'no-restricted-syntax': [
        'error',
        {
          selector: "MemberExpression[object.name='process'][property.name='env']",
          message: 'Read the environment only in core/config (or an entry point handing it to a loader).',
        },
        {
          selector: 'ImportDeclaration[source.value=/^(\\.\\.\\/){3,}/]',
          message: 'No ../../.. chains: use a #core/… style import.',
        },
      ],
    },
  },
  {
    // A CLI's entry point writes its user-facing output (reports, tables, answers) to stdout.
    files: ['tools/**/main.ts'],
    rules: { 'no-console': 'off' },
  },
  {
    // A describe() block is one long function by nature; tests nest deeper than the tiers, so a
    // ../../../support/ import is their normal way to the shared helpers.
    files: ['test/**/*.ts'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
      'max-lines-per-function': 'off',
      'no-restricted-syntax': [
        'error',
        {
          selector: "MemberExpression[object.name='process'][property.name='env']",
          message: 'Read the environment only in test/support (it builds the test environments).',
        },
      ],
    },
  },
  {
    // Entry points hand process.env to the config loaders; test support builds test environments.
    files: ['**/main.ts', 'test/support/**/*.ts'],
    rules: { 'no-restricted-syntax': 'off' },
  },
  {
    // The upload page's browser module (tsconfig.ui.json types it with the DOM): nothing of Node in it.
    files: ['nest-web/ui/client/**/*.ts'],
    rules: {
      'no-restricted-globals': ['error', 'process', 'Buffer', 'require', '__dirname', '__filename'],
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['node:*'], message: 'Browser code: no Node modules.' }] },
      ],
    },
  },
  {
    files: ['**/*.cjs'],
    languageOptions: {
      sourceType: 'commonjs',
      globals: { require: 'readonly', module: 'writable', globalThis: 'readonly', __dirname: 'readonly' },
    },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
