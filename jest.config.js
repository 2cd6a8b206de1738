/**
 * Jest runs the TypeScript sources as native ESM (the project is "type": "module"), transpiled by
 * ts-jest without typechecking (tsc does that); the test script passes --experimental-vm-modules.
 * Jest 29 and ts-jest, not Jest 30 and @swc/jest: those need platform binaries that the registry
 * here lacks for other platforms, which leaves package-lock.json unusable by `npm ci`. Each test file gets its own
 * PostgreSQL database cloned from a migrated template (test/helpers/global-setup.js).
 * @type {import('jest').Config}
 */
export default {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  transform: {
    '^.+\\.ts$': ['ts-jest', { useESM: true, transpilation: true }],
  },
  testMatch: ['<rootDir>/test/**/*.test.ts'],
  globalSetup: '<rootDir>/test/helpers/global-setup.js',
  testTimeout: 60_000,
  maxWorkers: process.env.CI ? 2 : '50%',
  // A worker keeps every module and transform of every file it ran: past 1 GB it is replaced
  // between files. Set, it also keeps tests out of Jest's own process when one worker is all
  // there is ('50%' of 2 cores): run there, the whole suite exhausted its 4 GB heap.
  workerIdleMemoryLimit: '1GB',
};
