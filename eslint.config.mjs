import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';

// Client state (status, assignment, blocking, unread, episodes) has one owner: lib/clients/.
// Everything else calls its named transitions or composes its SQL fragments (DESIGN.md, Owners).
export const clientWriteRestriction = [
  'error',
  {
    selector: "CallExpression[callee.property.name=/^(insert|update|delete)$/][arguments.0.name='clients']",
    message: 'Client state is written only in lib/clients/: call a named transition from there.',
  },
  {
    selector: 'TemplateElement[value.raw=/\\b(update|insert\\s+into|delete\\s+from)\\s+clients\\b/i]',
    message:
      'Client state is written only in lib/clients/: compose its SQL fragments (lib/clients/client-sql.ts).',
  },
];

export default tseslint.config(
  {
    ignores: [
      'node_modules',
      '.next',
      '.next-*',
      'data',
      'drizzle',
      'next-env.d.ts',
      'test-results',
      'playwright-report',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  { files: ['**/*.mjs', '**/*.js'], languageOptions: { globals: globals.node } },
  {
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-non-null-assertion': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'off',
    },
  },
  {
    // Domain code must stay framework-free so jobs, bots, scripts and tests reuse it.
    files: ['lib/**/*.ts', 'db/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['next', 'next/*'], message: 'lib/ and db/ must not import next/*' }] },
      ],
    },
  },
  {
    files: ['app/**', 'components/**', 'db/**', 'inngest/**', 'lib/**', 'pages/**', 'scripts/**', 'bench/**'],
    ignores: ['lib/clients/**'],
    rules: { 'no-restricted-syntax': clientWriteRestriction },
  },
);
