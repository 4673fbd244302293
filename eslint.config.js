// The lint that CI runs (`npm run lint`, in .ci/run after the type check): ESLint's and
// typescript-eslint's recommended rules, without type information (tsc checks types), less a few.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const node = Object.fromEntries(
  ['process', 'console', 'global', 'globalThis', 'performance', 'setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Buffer', 'URL'].map((g) => [g, 'readonly']),
);

export default tseslint.config(
  { ignores: ['node_modules/', 'cdk.out/', '.data/', 'test-results/', 'console/dist/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      // `const { a: _a, ...rest } = x` leaves a field out; `_` marks what is unused on purpose.
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      // Rethrowing a plainer error for people is what the store and the benchmarks mean to do.
      'preserve-caught-error': 'off',
      // An initial value that every branch overwrites documents the variable's shape.
      'no-useless-assignment': 'off',
    },
  },
  // The benchmarks read untyped JSON (API answers) throughout.
  { files: ['bench/**'], rules: { '@typescript-eslint/no-explicit-any': 'off' } },
  { files: ['**/*.js', '**/*.mjs'], languageOptions: { globals: node } },
);
