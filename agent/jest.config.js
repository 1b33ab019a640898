/** Unit tests live next to the code they test (src/**\/*.test.ts). */
module.exports = {
  displayName: 'agent',
  testEnvironment: 'node',
  roots: ['<rootDir>/src'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.json', diagnostics: { ignoreCodes: [151002] } }] },
  testTimeout: 20000,
};
