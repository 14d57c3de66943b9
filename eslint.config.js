// One lint config for the whole monorepo. Architecture rules (DESIGN.md §3.13):
// nothing imports from apps/*, and packages are consumed through their public
// entry points only, never through deep `@bursary/<pkg>/src/...` paths.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', '**/.turbo/**', '**/coverage/**', 'infra/**', '.data/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node }, ecmaVersion: 2023, sourceType: 'module' },
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { regex: '(^|/)apps/', message: 'Nothing imports from apps/*: use a contracts package, HTTP or events.' },
            { regex: '^@bursary/[^/]+-service($|/)', message: 'Services never import each other: use a contracts package, HTTP or events.' },
            { regex: '^@bursary/[^/]+/src(/|$)', message: 'Import a package through its public entry point, not its src/.' },
            { regex: '^\\.\\./\\.\\./\\.\\./(packages|apps)/', message: 'Import workspace packages by name.' },
          ],
        },
      ],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-console': ['error', { allow: ['error', 'warn'] }],
    },
  },
  {
    files: ['**/test/**', '**/*.test.ts', 'tests/**', 'tools/**', 'scripts/**', '**/src/cli/**', '**/src/server.ts', '**/src/migrate.ts'],
    rules: { 'no-console': 'off' },
  },
  {
    // A WAF's job is to look for control characters and odd escapes in hostile
    // input, so its patterns name them on purpose.
    files: ['packages/waf/**'],
    rules: { 'no-control-regex': 'off' },
  },
);
