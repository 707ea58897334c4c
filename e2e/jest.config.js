/**
 * End-to-end tests against a real Kubernetes control plane (see e2e/README.md).
 * `npm run test:e2e`: with KUBECONFIG set, the tests use that cluster; otherwise globalSetup builds
 * (once per machine, cached) and starts a local etcd + kube-apiserver + kube-controller-manager, and
 * globalTeardown (or an exit/SIGINT/SIGTERM handler) always stops it.
 */
module.exports = {
  rootDir: __dirname,
  roots: ['<rootDir>'],
  testEnvironment: 'node',
  testMatch: ['**/*.e2e.test.ts'],
  transform: {
    '^.+\\.ts$': ['ts-jest', { diagnostics: false }],
  },
  moduleFileExtensions: ['ts', 'js', 'json'],
  globalSetup: '<rootDir>/support/global-setup.ts',
  globalTeardown: '<rootDir>/support/global-teardown.ts',
  // The files build on each other's cluster state only through idempotent steps, but run in
  // file-name order (01-, 02-, ...) so the report reads like the walkthrough.
  testSequencer: '<rootDir>/support/sequencer.js',
  // A cold machine builds the control plane in globalSetup (not counted here); each test may wait
  // for controllers and the audit log.
  testTimeout: 180000,
  verbose: true,
  slowTestThreshold: 60,
};
