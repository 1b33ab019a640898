/**
 * A small external-metrics API (external.metrics.k8s.io/v1beta1) for real-server tests: HTTPS on
 * 127.0.0.1, served to kube-apiserver's aggregator through an APIService. The value of each metric is
 * read from a function at request time, so a test replays a load by changing what it returns; every
 * metric read is recorded (when, which metric, what it answered) so a test can see the HPA controller
 * really asked.
 *
 * How kube-apiserver reaches it: the APIService names a Service of type ExternalName whose externalName
 * is 127.0.0.1. The aggregator resolves an ExternalName Service to https://<externalName>:<APIService
 * port> (k8s.io/apiserver pkg/util/proxy ResolveCluster) and verifies the serving certificate against the
 * APIService's caBundle with the server name <service>.<namespace>.svc (kube-aggregator
 * remote.BuildTransportConfig), so the certificate made here carries that name.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const EXTERNAL_METRICS_GROUP = 'external.metrics.k8s.io';
export const EXTERNAL_METRICS_VERSION = 'v1beta1';
const GV = `${EXTERNAL_METRICS_GROUP}/${EXTERNAL_METRICS_VERSION}`;

export interface MetricRead {
  atMs: number;
  namespace: string;
  metric: string;
  value: number;
}

export interface ExternalMetricsApi {
  port: number;
  /** PEM of the CA that signed the serving certificate (the APIService's caBundle). */
  caPem: string;
  reads: MetricRead[];
  /** The Service (ExternalName → 127.0.0.1) and APIService objects that register this server. */
  objects(): object[];
  close(): Promise<void>;
}

export interface ExternalMetricsOptions {
  /** The Service's namespace and name; the certificate is made for <name>.<namespace>.svc. */
  namespace: string;
  serviceName: string;
  /** Metric name → its current value (called on every read). Unknown names answer 404. */
  metrics: Record<string, () => number>;
}

/** A CA and a serving certificate for `dnsName`, made with openssl in a temp folder (removed after). */
function makeCertificates(dnsName: string): { caPem: string; certPem: string; keyPem: string } {
  const dir = mkdtempSync(join(tmpdir(), 'wedsync-extmetrics-'));
  const ssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
  try {
    ssl(
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:P-256',
      '-nodes',
      '-keyout',
      'ca.key',
      '-out',
      'ca.crt',
      '-days',
      '2',
      '-subj',
      '/CN=wedsync-test-external-metrics-ca',
    );
    ssl('req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', 'tls.key', '-out', 'tls.csr', '-subj', `/CN=${dnsName}`);
    writeFileSync(join(dir, 'ext.cnf'), `subjectAltName=DNS:${dnsName}\nextendedKeyUsage=serverAuth\nkeyUsage=digitalSignature\nbasicConstraints=CA:FALSE\n`);
    ssl('x509', '-req', '-in', 'tls.csr', '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'tls.crt', '-days', '2', '-extfile', 'ext.cnf');
    const read = (f: string) => readFileSync(join(dir, f), 'utf8');
    return { caPem: read('ca.crt'), certPem: read('tls.crt'), keyPem: read('tls.key') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A resource.Quantity string: milli-units, the form the metrics adapters answer in. */
export function quantity(value: number): string {
  return `${Math.round(value * 1000)}m`;
}

const status = (code: number, message: string) => ({
  kind: 'Status',
  apiVersion: 'v1',
  metadata: {},
  status: 'Failure',
  message,
  reason: code === 404 ? 'NotFound' : 'BadRequest',
  code,
});

export async function startExternalMetricsApi(opts: ExternalMetricsOptions): Promise<ExternalMetricsApi> {
  const dnsName = `${opts.serviceName}.${opts.namespace}.svc`;
  const { caPem, certPem, keyPem } = makeCertificates(dnsName);
  const reads: MetricRead[] = [];
  const metricPath = new RegExp(`^/apis/${GV.replace(/\./g, '\\.')}/namespaces/([^/]+)/([^/]+)$`);

  const server: Server = createServer({ cert: certPem, key: keyPem }, (req, res) => {
    const send = (code: number, body: object) => {
      res.writeHead(code, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    const path = new URL(req.url ?? '/', 'https://x').pathname;
    if (req.method !== 'GET') return send(405, status(405, `${req.method} is not served`));
    if (path === '/apis') {
      return send(200, {
        kind: 'APIGroupList',
        apiVersion: 'v1',
        groups: [
          {
            name: EXTERNAL_METRICS_GROUP,
            versions: [{ groupVersion: GV, version: EXTERNAL_METRICS_VERSION }],
            preferredVersion: { groupVersion: GV, version: EXTERNAL_METRICS_VERSION },
          },
        ],
      });
    }
    if (path === `/apis/${GV}`) {
      return send(200, {
        kind: 'APIResourceList',
        apiVersion: 'v1',
        groupVersion: GV,
        resources: [{ name: '*', singularName: '', namespaced: true, kind: 'ExternalMetricValueList', verbs: ['get'] }],
      });
    }
    const m = metricPath.exec(path);
    if (m) {
      const [, namespace, metric] = m;
      const valueOf = opts.metrics[metric];
      if (!valueOf) return send(404, status(404, `no external metric ${metric}`));
      const value = valueOf();
      reads.push({ atMs: Date.now(), namespace, metric, value });
      return send(200, {
        kind: 'ExternalMetricValueList',
        apiVersion: GV,
        metadata: {},
        items: [{ metricName: metric, metricLabels: {}, timestamp: new Date().toISOString().replace(/\.\d+Z$/, 'Z'), value: quantity(value) }],
      });
    }
    send(404, status(404, `${path} is not served here`));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;

  return {
    port,
    caPem,
    reads,
    objects: () => [
      {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: opts.serviceName, namespace: opts.namespace },
        spec: { type: 'ExternalName', externalName: '127.0.0.1' },
      },
      {
        apiVersion: 'apiregistration.k8s.io/v1',
        kind: 'APIService',
        metadata: { name: `${EXTERNAL_METRICS_VERSION}.${EXTERNAL_METRICS_GROUP}` },
        spec: {
          group: EXTERNAL_METRICS_GROUP,
          version: EXTERNAL_METRICS_VERSION,
          service: { namespace: opts.namespace, name: opts.serviceName, port },
          caBundle: Buffer.from(caPem).toString('base64'),
          groupPriorityMinimum: 100,
          versionPriority: 100,
        },
      },
    ],
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
