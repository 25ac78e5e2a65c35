// @ts-check
/**
 * ESLint for correctness only: prettier formats, so no stylistic rules here. typescript-eslint's
 * type-checked recommended rules (floating and misused promises, `any` leaking through
 * no-unsafe-*) over every TypeScript folder, plus the layer rule from eslint.layers.cjs.
 */
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import layers from './eslint.layers.cjs';

/** The `any` rules, relaxed only where code reads data it does not own the types of (see below). */
const UNTYPED_DATA_ALLOWED = {
  '@typescript-eslint/no-explicit-any': 'off',
  '@typescript-eslint/no-unsafe-argument': 'off',
  '@typescript-eslint/no-unsafe-assignment': 'off',
  '@typescript-eslint/no-unsafe-call': 'off',
  '@typescript-eslint/no-unsafe-member-access': 'off',
  '@typescript-eslint/no-unsafe-return': 'off',
};

export default tseslint.config(
  {
    ignores: [
      'node_modules/',
      'cdk.out/',
      '.local/',
      '.bench/',
      '.bundles/',
      'coverage/',
      'docs/',
      'samples/',
      'test/fixtures/',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      // tsc's noUnusedLocals/noUnusedParameters already accept a leading underscore for a binding
      // kept on purpose (a rest sibling that drops a key, a loop that only counts); agree with it.
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
      // `async` is how a function here says it implements an async port or middy hook: it also turns
      // a synchronous throw into a rejection, which callers await. Awaiting nothing is fine.
      '@typescript-eslint/require-await': 'off',
      // s3rver ships no type declarations, so the local S3 emulator requires it (and its internals)
      // with a cast in one place rather than declaring an untyped module.
      '@typescript-eslint/no-require-imports': ['error', { allow: ['^s3rver(/|$)'] }],
    },
  },
  ...layers.layersConfig(),
  {
    files: ['test/**/*.ts'],
    rules: {
      // Tests read bodies they do not own as `any` (JSON.parse, fetch().json(), synthesized
      // CloudFormation templates, aws-sdk-client-mock's call arguments) and the expect() that
      // follows is the check on their shape; typing each one would only restate the assertion.
      ...UNTYPED_DATA_ALLOWED,
    },
  },
  {
    // The capacity meter wraps DynamoDBDocumentClient.prototype.send for every command type and
    // reads their inputs generically; the poll benchmark classifies those metered inputs and reads
    // the local stack's JSON event log. Measurement code over untyped shapes, not production.
    files: ['bench/capacity-meter.ts', 'bench/poll.ts'],
    rules: {
      ...UNTYPED_DATA_ALLOWED,
      // The patched send() keeps the original method and the meter in closures on purpose.
      '@typescript-eslint/no-this-alias': 'off',
      '@typescript-eslint/unbound-method': 'off',
    },
  },
  {
    // The CommonJS config files (jest.config.js, eslint.layers.cjs) are not in the TypeScript
    // project: lint them without type information, as CommonJS on Node.
    files: ['**/*.js', '**/*.cjs', '**/*.mjs'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: {
      parserOptions: { projectService: false, program: null },
      globals: { module: 'writable', require: 'readonly', __dirname: 'readonly', process: 'readonly' },
    },
    rules: {
      ...tseslint.configs.disableTypeChecked.rules,
      '@typescript-eslint/no-require-imports': 'off',
    },
  },
);
