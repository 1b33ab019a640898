/** One Jest run over every package: agent unit tests, cross-package tests in test/, the panel plugin. */
module.exports = {
  projects: ['<rootDir>/agent', '<rootDir>/test', '<rootDir>/grafana-plugin'],
  // Jest 30 reads testTimeout from the global config only: a project's own testTimeout is ignored when
  // run through these projects, so the integration tests' 60 s (servers starting) is set here for all.
  testTimeout: 60000,
};
