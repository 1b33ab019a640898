/** Jest globalTeardown of the integration project: stops the run's own control plane, if one was started. */
const { spawnSync } = require('node:child_process');
const { existsSync } = require('node:fs');
const { join } = require('node:path');

module.exports = async function realClusterTeardown() {
  const dir = globalThis.__wedsyncOwnedClusterDir;
  if (!dir || !existsSync(dir)) return;
  spawnSync(process.execPath, [join(__dirname, '..', 'cluster', 'cluster.mjs'), 'down', '--purge', '--dir', dir], { stdio: 'inherit', timeout: 120000 });
};
