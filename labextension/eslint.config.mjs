// Lint of the labextension sources (run by `npm run lint`, which scripts/run-tests.sh calls).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

export default tseslint.config(
  { ignores: ['lib/**', 'node_modules/**', 'src/schema.ts', '**/*.d.ts'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts', '**/*.tsx'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      // `export namespace X { export interface IOptions }` beside `class X` is JupyterLab's idiom
      '@typescript-eslint/no-namespace': 'off',
      // a leading underscore marks a parameter a signature requires but the body does not use
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }]
    }
  }
);
