// One lint setup for the whole repository: typescript-eslint type-checked rules plus the
// package boundaries that keep the engine free of HTTP and UI code.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';

/** The engine and its libraries have no HTTP or UI code. */
const noHttpOrUi = {
  group: ['express', 'react', 'react-dom', '@hvm/server', '@hvm/web'],
  message: 'The engine and its libraries have no HTTP or UI code.',
};

/**
 * One door to the VHDX library: only the engine's disk library (packages/engine/src/disk)
 * imports its values; everyone else goes through the engine. Types are free to import. Allowed
 * as test tooling: test files and their support files, the stress runs and the benchmarks (they
 * measure the library).
 */
const vhdxDoor = {
  name: '@hvm/vhdx',
  message:
    "Only the engine's disk library (packages/engine/src/disk) imports @hvm/vhdx values; use what @hvm/engine exports.",
  allowTypeImports: true,
};
const vhdxToolingFiles = [
  'packages/vhdx/**/*.ts',
  'packages/engine/src/disk/**/*.ts',
  '**/*.test.ts',
  '**/*.test-support.ts',
  '**/stress/**/*.ts',
  'apps/bench/**/*.ts',
];

export default tseslint.config(
  {
    ignores: [
      '**/dist/**',
      '**/node_modules/**',
      '**/.turbo/**',
      '**/coverage/**',
      'e2e/artifacts/**',
      'test-results/**',
      'playwright-report/**',
      'hyperv-data/**',
      'apps/bench/reports/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  ...tseslint.configs.stylisticTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        projectService: {
          allowDefaultProject: ['packages/*/vitest.config.ts', 'apps/*/vitest.config.ts'],
          // One small config file per package; typescript-eslint's default cap is 8 files.
          maximumDefaultProjectFileMatchCount_THIS_WILL_SLOW_DOWN_LINTING: 16,
        },
        tsconfigRootDir: import.meta.dirname,
      },
      globals: { ...globals.node },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-non-null-assertion': 'error',
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['**/*.js', '**/*.mjs', '**/*.cjs'],
    ...tseslint.configs.disableTypeChecked,
  },
  {
    files: ['packages/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        { paths: [vhdxDoor], patterns: [noHttpOrUi] },
      ],
      'no-restricted-globals': [
        'error',
        { name: 'fetch', message: 'The engine does no network I/O.' },
      ],
      'no-restricted-properties': [
        'error',
        { object: 'process', property: 'env', message: 'Only apps read the environment (env.ts).' },
      ],
    },
  },
  {
    files: ['apps/**/*.ts'],
    rules: { '@typescript-eslint/no-restricted-imports': ['error', { paths: [vhdxDoor] }] },
  },
  {
    files: vhdxToolingFiles,
    ignores: ['apps/**'],
    rules: { '@typescript-eslint/no-restricted-imports': ['error', { patterns: [noHttpOrUi] }] },
  },
  {
    files: vhdxToolingFiles.filter((glob) => !glob.startsWith('packages/')),
    ignores: ['packages/**'],
    rules: { '@typescript-eslint/no-restricted-imports': 'off' },
  },
  {
    files: ['apps/web/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      ...reactHooks.configs.recommended.rules,
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: '@hvm/engine',
              message: 'The web app talks HTTP only; import types only.',
              allowTypeImports: true,
            },
            vhdxDoor,
          ],
        },
      ],
    },
  },
);
