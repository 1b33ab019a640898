/**
 * A small stand-in for the two parts of Grafana's server the WedSync app uses (no Grafana server can run
 * here). It follows Grafana's own code (pkg/api/pluginproxy/pluginproxy.go, pkg/util/proxyutil):
 * - `/api/plugins/<id>/settings`: GET gives `enabled`, `jsonData` and `secureJsonFields` (which secrets
 *   are set, never their values); POST (Admin) stores jsonData and secureJsonData (a secret sent as '' is
 *   removed, one not sent is kept).
 * - `/api/plugin-proxy/<id>/<path>`: the first route of the app's plugin.json whose method and path match;
 *   403 "plugin proxy route access denied" when the signed-in role does not include the route's reqRole;
 *   404 "plugin route match not found" otherwise; the url and headers templated from jsonData and
 *   secureJsonData; Cookie dropped; the answer streamed back as it comes (Go's ReverseProxy flushes
 *   text/event-stream at once); 502 with an empty body when the agent cannot be reached.
 * The signed-in user's org role comes from the `grafana_role` cookie (Grafana's session stands behind it).
 */
import { readFileSync } from 'node:fs';
import { request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';

interface Route {
  path: string;
  method?: string;
  reqRole?: 'Viewer' | 'Editor' | 'Admin';
  url: string;
  headers?: Array<{ name: string; content: string }>;
}

const RANK = { Viewer: 0, Editor: 1, Admin: 2 } as const;
type Role = keyof typeof RANK;

export interface GrafanaStandIn {
  /** Handles the request when it is one of Grafana's; false otherwise. */
  handle(req: IncomingMessage, res: ServerResponse): boolean;
  /** What the stand-in keeps, as Grafana's database would (tests read it; the browser never can). */
  settings: { enabled: boolean; jsonData: Record<string, string>; secureJsonData: Record<string, string> };
  /** Every proxied request: method, path and status (for the tests). */
  proxied: Array<{ method: string; path: string; status: number }>;
  /** Cuts every proxied connection still open (streams), as when the agent behind them goes away. */
  dropConnections(): void;
}

function roleOf(req: IncomingMessage): Role {
  const m = /(?:^|;\s*)grafana_role=(Viewer|Editor|Admin)/.exec(req.headers.cookie ?? '');
  return (m?.[1] as Role | undefined) ?? 'Viewer';
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'Content-Type': 'application/json; charset=UTF-8' }).end(JSON.stringify(body));
}

/** Grafana's route path match: exact, or a trailing `*` taking the rest (returned as the proxy path). */
function matchPath(pattern: string, path: string): string | null {
  if (pattern.endsWith('*')) return path.startsWith(pattern.slice(0, -1)) ? path.slice(pattern.length - 1) : null;
  return path === pattern ? '' : null;
}

function template(s: string, data: { JsonData: Record<string, string>; SecureJsonData: Record<string, string> }): string {
  return s.replace(/\{\{\s*\.(JsonData|SecureJsonData)\.(\w+)\s*\}\}/g, (_m, kind: 'JsonData' | 'SecureJsonData', key: string) => data[kind][key] ?? '');
}

export function grafanaStandIn(appId: string, pluginJsonFile: string): GrafanaStandIn {
  const routes = (JSON.parse(readFileSync(pluginJsonFile, 'utf8')) as { routes: Route[] }).routes;
  const open = new Set<ServerResponse>();
  const self: GrafanaStandIn = {
    settings: { enabled: false, jsonData: {}, secureJsonData: {} },
    proxied: [],
    dropConnections: () => {
      for (const res of open) res.destroy();
      open.clear();
    },
    handle(req, res) {
      const url = new URL(req.url ?? '/', 'http://x');
      if (url.pathname === `/api/plugins/${appId}/settings`) {
        settingsApi(req, res);
        return true;
      }
      const prefix = `/api/plugin-proxy/${appId}/`;
      if (url.pathname.startsWith(prefix)) {
        proxy(req, res, url.pathname.slice(prefix.length), url.search);
        return true;
      }
      return false;
    },
  };

  function settingsApi(req: IncomingMessage, res: ServerResponse): void {
    const s = self.settings;
    if (req.method === 'GET') {
      json(res, 200, {
        id: appId,
        enabled: s.enabled,
        jsonData: s.jsonData,
        secureJsonFields: Object.fromEntries(Object.keys(s.secureJsonData).map((k) => [k, true])),
      });
      return;
    }
    if (req.method !== 'POST') return json(res, 405, { message: 'method not allowed' });
    if (roleOf(req) !== 'Admin') return json(res, 403, { message: 'Permission denied' });
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      const b = JSON.parse(body || '{}') as { enabled?: boolean; jsonData?: Record<string, string>; secureJsonData?: Record<string, string> };
      s.enabled = b.enabled ?? s.enabled;
      if (b.jsonData) s.jsonData = b.jsonData;
      for (const [k, v] of Object.entries(b.secureJsonData ?? {})) {
        if (v === '') delete s.secureJsonData[k];
        else s.secureJsonData[k] = v;
      }
      json(res, 200, { message: 'Plugin settings updated' });
    });
  }

  function proxy(req: IncomingMessage, res: ServerResponse, path: string, search: string): void {
    const record = (status: number) => self.proxied.push({ method: req.method ?? 'GET', path, status });
    let matched: { route: Route; rest: string } | null = null;
    for (const route of routes) {
      if (route.method && route.method !== '*' && route.method !== req.method) continue;
      const rest = matchPath(route.path, path);
      if (rest === null) continue;
      if (route.reqRole && RANK[roleOf(req)] < RANK[route.reqRole]) {
        record(403);
        return json(res, 403, { message: 'plugin proxy route access denied' });
      }
      matched = { route, rest };
      break;
    }
    if (!matched) {
      record(404);
      return json(res, 404, { message: 'plugin route match not found' });
    }
    const data = { JsonData: self.settings.jsonData, SecureJsonData: self.settings.secureJsonData };
    let target: URL;
    try {
      const base = template(matched.route.url, data);
      target = new URL(`${base.replace(/\/+$/, '')}${matched.rest ? `/${matched.rest}` : ''}${search}`);
    } catch {
      record(502);
      res.writeHead(502).end();
      return;
    }
    const headers: Record<string, string | string[] | undefined> = { ...req.headers, host: target.host };
    delete headers.cookie;
    delete headers.origin;
    delete headers.referer;
    for (const h of matched.route.headers ?? []) headers[h.name.toLowerCase()] = template(h.content, data);
    const upstream = httpRequest(target, { method: req.method, headers }, (up) => {
      record(up.statusCode ?? 502);
      const out = { ...up.headers };
      delete out['set-cookie'];
      res.writeHead(up.statusCode ?? 502, out);
      if (res.socket) res.socket.setNoDelay(true);
      up.pipe(res);
    });
    upstream.on('error', () => {
      record(502);
      if (!res.headersSent) res.writeHead(502).end();
      else res.destroy();
    });
    open.add(res);
    res.on('close', () => {
      open.delete(res);
      upstream.destroy();
    });
    req.pipe(upstream);
  }

  return self;
}
