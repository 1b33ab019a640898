/** Integration and end-to-end tests across packages; each names the real server or stand-in it uses. */
const KUBE_ESM = '@kubernetes/client-node|openid-client|oauth4webapi|jose|jsonpath-plus|rfc4648';

module.exports = {
  displayName: 'integration',
  testEnvironment: 'node',
  rootDir: '.',
  testMatch: ['<rootDir>/**/*.test.ts'],
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.json', diagnostics: { ignoreCodes: [151002] } }],
    // @kubernetes/client-node and its ESM-only dependencies, for the Kubernetes stand-in tests (RECIPES.md).
    [`/node_modules/(${KUBE_ESM})/.+\\.m?js$`]: '<rootDir>/support/kube-esm-transform.js',
  },
  transformIgnorePatterns: [`/node_modules/(?!(${KUBE_ESM})/)`],
  testTimeout: 60000,
  // The real control plane (test/cluster), shared by every real-cluster test file of the run.
  globalSetup: '<rootDir>/support/real-cluster-setup.js',
  globalTeardown: '<rootDir>/support/real-cluster-teardown.js',
};
