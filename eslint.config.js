import js from '@eslint/js';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';
import importX from 'eslint-plugin-import-x';
import tseslint from 'typescript-eslint';

/**
 * The layers of the code, lowest first (README, "How it is built"). A file imports from its own
 * folder and from lower layers only: never from a higher layer, never from another folder of
 * its own layer. Stages do not know about the queues that run them; the record does not know
 * about the stages that fill it.
 */
const LAYERS = [
  ['src/error-codes.ts', 'src/version.ts', 'src/english-calendar.ts'],
  ['src/errors.ts'],
  ['src/record'],
  ['src/config', 'src/raw', 'src/threads'],
  ['src/clean', 'src/normalize', 'src/fetch', 'src/ops'],
  ['src/sources'],
  ['src/delivery'],
  ['src/sinks'],
  ['src/pipeline'],
  ['src/jobs'],
  ['src/queue'],
  ['src/cli', 'workers'],
];

/** One import-x/no-restricted-paths zone per folder: the folders it may not import from. */
function layerZones() {
  const zones = [];
  LAYERS.forEach((layer, level) => {
    const higher = LAYERS.slice(level + 1).flat();
    for (const target of layer) {
      const from = [...higher, ...layer.filter((peer) => peer !== target)];
      if (from.length === 0) continue;
      zones.push({
        target: `./${target}`,
        from: from.map((source) => `./${source}`),
        message: `${target} is in layer ${level}; it may import only lower layers (eslint.config.js LAYERS).`,
      });
    }
  });
  return zones;
}

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
    files: ['src/**/*.ts', 'workers/**/*.ts'],
    plugins: { 'import-x': importX },
    settings: {
      ...importX.flatConfigs.typescript.settings,
      'import-x/resolver-next': [createTypeScriptImportResolver()],
    },
    rules: {
      // Type-only imports make cycles too: a folder that needs another's types depends on it.
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
      'import-x/no-restricted-paths': ['error', { zones: layerZones() }],
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
