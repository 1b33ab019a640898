/**
 * Jest globalSetup of the integration project: names this run's real control plane (test/cluster) and
 * makes the Jest process its owner. Nothing starts here: the first test file that calls realCluster()
 * starts it (test/support/real-cluster.ts), so a run without real-cluster tests costs nothing. A watchdog
 * tears it down if Jest dies before globalTeardown runs.
 */
const { join } = require('node:path');

module.exports = async function realClusterSetup() {
  if (process.env.WEDSYNC_CLUSTER_DIR) return; // a cluster the user started and keeps: reuse it, leave it running
  const dir = join(__dirname, '..', '..', '.tmp', 'cluster', `jest-${process.pid}`);
  process.env.WEDSYNC_CLUSTER_DIR = dir;
  process.env.WEDSYNC_CLUSTER_OWNER_PID = String(process.pid);
  globalThis.__wedsyncOwnedClusterDir = dir;
};
