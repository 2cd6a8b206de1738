/* global process */
/**
 * Jest runs the TypeScript sources as native ESM (the project is "type": "module"), compiled by
 * @swc/jest; the test script passes --experimental-vm-modules. Each test file gets its own
 * PostgreSQL database cloned from a migrated template (test/helpers/global-setup.ts).
 * @type {import('jest').Config}
 */
export default {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  transform: {
    '^.+\\.ts$': [
      '@swc/jest',
      { jsc: { parser: { syntax: 'typescript' }, target: 'es2023' }, module: { type: 'es6' } },
    ],
  },
  testMatch: ['<rootDir>/test/**/*.test.ts'],
  globalSetup: '<rootDir>/test/helpers/global-setup.ts',
  testTimeout: 30_000,
  maxWorkers: process.env.CI ? 2 : '50%',
};
