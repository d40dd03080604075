import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/', 'out/', 'data/', 'node_modules/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.js', '**/*.mjs'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly' } },
  },
  {
    files: ['**/*.ts'],
    rules: {
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['src/clean/**', 'src/normalize/**', 'src/record/**', 'src/pipeline/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        { paths: ['bullmq', 'ioredis'], patterns: ['**/cli/**', '**/workers/**', '**/queue/**'] },
      ],
      'no-restricted-properties': [
        'error',
        { object: 'process', property: 'env', message: 'Stages receive config through deps.' },
      ],
    },
  },
);
