/** Integration and end-to-end tests across packages; each names the real server or stand-in it uses. */
module.exports = {
  displayName: 'integration',
  testEnvironment: 'node',
  rootDir: '.',
  testMatch: ['<rootDir>/**/*.test.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.json', diagnostics: { ignoreCodes: [151002] } }] },
  testTimeout: 60000,
};
