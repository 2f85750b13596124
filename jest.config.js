/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }] },
  // Integration suites start real servers on loopback; two workers fit a 2-core machine.
  maxWorkers: 2,
  testTimeout: 20000,
  // dist/ and dist-dev/ are built once here; the suites that spawn them never rebuild them.
  globalSetup: '<rootDir>/test/global-setup.js',
  reporters: ['default', '<rootDir>/test/summary-reporter.js'],
  // The product only: the dev tenant, the dev entry point and the benchmark are not usergate.
  collectCoverageFrom: ['src/**/*.ts', '!src/**/*.d.ts'],
  coverageReporters: ['text-summary', 'lcov'],
  // `npm test` (what CI runs) fails when coverage drops below these.
  coverageThreshold: { global: { lines: 94, statements: 93, functions: 88, branches: 85 } },
};
