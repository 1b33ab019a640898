// One cluster's state directory: its ports, keys, tokens and kubeconfigs, written once at the first `up`
// and reused by later ones (so an `up` after a crash restarts the missing processes on the same ports).
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';

/** A port the OS says is free now on 127.0.0.1. */
function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = /** @type {import('node:net').AddressInfo} */ (server.address());
      server.close(() => resolve(port));
    });
  });
}

/** Users of the static token file: who each component is to RBAC. */
const USERS = {
  // The person or test with full rights (system:masters).
  admin: { user: 'wedsync-admin', groups: ['system:masters'] },
  // Bound by the API server's bootstrap RBAC policy.
  'kube-controller-manager': { user: 'system:kube-controller-manager', groups: [] },
  'kube-scheduler': { user: 'system:kube-scheduler', groups: [] },
  // kwok stands in for every kubelet (node and pod status, node leases): full rights keeps it simple.
  kwok: { user: 'system:kwok', groups: ['system:masters'] },
};

/**
 * Creates (first time) or reads the cluster's state.
 * @param {string} dir
 */
export async function prepareState(dir) {
  const file = join(dir, 'state.json');
  if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8'));
  mkdirSync(join(dir, 'pki'), { recursive: true, mode: 0o700 });
  mkdirSync(join(dir, 'logs'), { recursive: true });
  const ports = {
    etcdClient: await freePort(),
    etcdPeer: await freePort(),
    apiserver: await freePort(),
    controllerManager: await freePort(),
    scheduler: await freePort(),
  };
  // Service-account token signing key (the API server signs, the controller manager's token controller too).
  const { privateKey, publicKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
  writeFileSync(join(dir, 'pki', 'sa.key'), privateKey, { mode: 0o600 });
  writeFileSync(join(dir, 'pki', 'sa.pub'), publicKey);
  const tokens = Object.fromEntries(Object.keys(USERS).map((name) => [name, randomBytes(24).toString('hex')]));
  writeFileSync(
    join(dir, 'pki', 'tokens.csv'),
    Object.entries(USERS)
      .map(([name, { user, groups }]) => `${tokens[name]},${user},${user}${groups.length ? `,"${groups.join(',')}"` : ''}`)
      .join('\n') + '\n',
    { mode: 0o600 },
  );
  const server = `https://127.0.0.1:${ports.apiserver}`;
  // The API server writes its own self-signed serving certificate (and CA) here at its first start.
  const ca = join(dir, 'apiserver', 'apiserver.crt');
  const kubeconfigs = {};
  for (const name of Object.keys(USERS)) {
    const path = join(dir, name === 'admin' ? 'kubeconfig' : `${name}.kubeconfig`);
    writeFileSync(path, kubeconfig(server, ca, USERS[name].user, tokens[name]), { mode: 0o600 });
    kubeconfigs[name] = path;
  }
  const state = { dir, server, ca, ports, tokens, kubeconfigs, createdAt: new Date().toISOString() };
  writeFileSync(file, JSON.stringify(state, null, 2), { mode: 0o600 });
  return state;
}

/** A kubeconfig (JSON is YAML) with a bearer token and the API server's own CA. */
function kubeconfig(server, ca, user, token) {
  return JSON.stringify(
    {
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [{ name: 'wedsync', cluster: { server, 'certificate-authority': ca } }],
      users: [{ name: user, user: { token } }],
      contexts: [{ name: 'wedsync', context: { cluster: 'wedsync', user } }],
      'current-context': 'wedsync',
    },
    null,
    2,
  );
}
