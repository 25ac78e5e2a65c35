/**
 * One jest run for every kind of test. The embedded engines (DynamoDB Local, the S3
 * emulator) are started once per run in globalSetup and shared by every worker through
 * environment variables; each test file isolates itself with its own table and bucket.
 * Type checking is a separate step (`tsc --noEmit` in `npm test`), so files are
 * transformed with swc, which is an order of magnitude faster than ts-jest here.
 */
/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: {
    '^.+\\.(t|j)sx?$': [
      '@swc/jest',
      { jsc: { target: 'es2022', parser: { syntax: 'typescript' } }, module: { type: 'commonjs' } },
    ],
  },
  // middy 6, jose 6 and entities 9 ship ESM only; let swc turn them into CommonJS like our own files.
  transformIgnorePatterns: ['/node_modules/(?!(@middy|jose|entities)/)'],
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
  setupFilesAfterEnv: ['<rootDir>/test/support/setup-after-env.ts'],
  // Long kinds first on a fresh clone, which has no durations to order by (see the file).
  testSequencer: '<rootDir>/test/support/test-sequencer.js',
  testTimeout: 30000,
  maxWorkers: 2,
};
