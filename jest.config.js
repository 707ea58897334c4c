/** Unit, snapshot and property tests. The e2e suite has its own config (e2e/jest.config.js). */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: {
    // Type-checking happens once in `npm run build` (tsc), which `npm test` runs first; here we only transpile.
    '^.+\\.ts$': ['ts-jest', { diagnostics: false }],
  },
  moduleFileExtensions: ['ts', 'js', 'json'],
  // The examples import the package by name, as an app would: that name is the sources under lib/
  // (as in tsconfig.json `paths` and scripts/self-reference.js).
  moduleNameMapper: { '^cdk8s-api-reader$': '<rootDir>/lib', '^cdk8s-api-reader/(.*)$': '<rootDir>/lib/$1' },
  // Many suites wait on child processes (the CLI, sh + curl, cdk8s synth): two workers keep both cores busy.
  maxWorkers: 2,
  // No test depends on wall-clock speed; Jest's 5 s default failed a CLI test on a busy machine
  // (two CPU hogs beside the suite), so allow a minute before a test counts as hung.
  testTimeout: 60_000,
};
