// Lint for the whole repository (run by `npm test` through `npm run lint`, zero warnings allowed; then
// `prettier --check`, the one formatter).
// The agent and the cross-package tests get typescript-eslint's type-checked rules; the panel plugin
// gets Grafana's own config (@grafana/eslint-config), as plugins built with create-plugin do.
import tseslint from 'typescript-eslint';
import grafanaConfig from '@grafana/eslint-config';
import prettierConfig from 'eslint-config-prettier';

export default tseslint.config(
  { ignores: ['**/dist/**', '**/dist-check/**', '**/dist-zip/**', '**/node_modules/**', '**/.tmp/**', '**/*.js', '**/*.mjs', '**/*.cjs'] },
  {
    files: ['agent/**/*.ts', 'test/**/*.ts'],
    extends: [...tseslint.configs.recommendedTypeChecked],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      // In-memory implementations of async interfaces (the in-memory cluster and Kubernetes API, the push
      // and simulator sources, the memory sink) stay `async` so that a throw becomes a rejection, as in the
      // real implementations.
      '@typescript-eslint/require-await': 'off',
      // A leading underscore marks a parameter that must exist but is unused (express's 4-argument error
      // handler); rest siblings are how a key is dropped from a copy.
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', ignoreRestSiblings: true }],
    },
  },
  {
    // Tests read untyped JSON (supertest's res.body, JSON.parse of recorded requests) and assert on it with
    // expect(): the no-unsafe-* rules would only add casts there, not catch bugs. Source files keep every rule.
    files: ['**/*.test.ts', '**/*.test.tsx', 'test/**/*.ts', 'agent/src/**/__fixtures__/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      // The Kubernetes stand-in stores and merge-patches whatever JSON objects a test gives it.
      '@typescript-eslint/no-explicit-any': 'off',
    },
  },
  {
    files: ['grafana-plugin/**/*.{ts,tsx}'],
    extends: [...grafanaConfig],
  },
  // Last: layout is Prettier's alone (.prettierrc.json, 160 columns; `npm run lint` checks it after ESLint),
  // so no stylistic rule above may disagree with it.
  prettierConfig,
);
