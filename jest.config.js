/** One Jest run over every package: agent unit tests, cross-package tests in test/, the panel plugin. */
module.exports = {
  projects: ['<rootDir>/agent', '<rootDir>/test', '<rootDir>/grafana-plugin'],
};
