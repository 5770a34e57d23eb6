// Flat config: typescript-eslint with type information for the rules that catch money bugs
// (floating promises in actors, misused async callbacks), plain recommended rules elsewhere.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', 'data/**', 'bin/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      eqeqeq: ['error', 'always'],
      'no-console': 'off',
    },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly' } },
  },
  {
    // the dashboard's page: plain ES modules run by the browser
    files: ['src/api/dashboard/page/**/*.js'],
    languageOptions: {
      sourceType: 'module',
      globals: {
        window: 'readonly', document: 'readonly', location: 'readonly', history: 'readonly', sessionStorage: 'readonly', fetch: 'readonly', WebSocket: 'readonly',
        URL: 'readonly', URLSearchParams: 'readonly', ResizeObserver: 'readonly', requestAnimationFrame: 'readonly', setTimeout: 'readonly',
        clearTimeout: 'readonly', HTMLElement: 'readonly', uPlot: 'readonly', console: 'readonly',
      },
    },
  },
);
