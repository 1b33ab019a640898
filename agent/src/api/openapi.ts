/**
 * The OpenAPI 3.1 document of /api/v1, generated from the same zod schemas the routes parse with
 * (JSON Schema 2020-12 is OpenAPI 3.1's schema dialect). A test checks that the document and the
 * router list the same routes, and that real responses match the documented schemas.
 */
import { z, type ZodObject, type ZodType } from 'zod';
import { VERSION } from '../version';
import type { Role } from '../config/schema';
import * as S from './schemas';

export interface RouteDoc {
  method: 'get' | 'post' | 'delete';
  /** OpenAPI path template, e.g. /targets/{id}/forecast. */
  path: string;
  summary: string;
  /** null: no token needed. */
  role: Role | null;
  query?: ZodObject;
  params?: ZodObject;
  body?: ZodType;
  ok: { status: number; schema: ZodType; description: string };
  /** Error statuses the route can answer besides 401/403/429 (which every authenticated route can). */
  errors: number[];
}

export const ROUTES: RouteDoc[] = [
  {
    method: 'get',
    path: '/status',
    summary: 'Agent, per-target state, sinks and calendar sources',
    role: 'viewer',
    query: S.emptyQuerySchema,
    ok: { status: 200, schema: S.statusSchema, description: 'status' },
    errors: [400],
  },
  {
    method: 'get',
    path: '/targets/{id}/forecast',
    summary: 'Forecast points with bounds for one target',
    role: 'viewer',
    params: S.targetParamsSchema,
    query: S.forecastQuerySchema,
    ok: { status: 200, schema: S.forecastSchema, description: 'forecast' },
    errors: [400, 404],
  },
  {
    method: 'get',
    path: '/decisions',
    summary: 'Recent scaling decisions with reasons, newest first',
    role: 'viewer',
    query: S.decisionsQuerySchema,
    ok: { status: 200, schema: S.decisionListSchema, description: 'decisions' },
    errors: [400, 404],
  },
  {
    method: 'get',
    path: '/anomalies',
    summary: 'Recent anomalies, newest first',
    role: 'viewer',
    query: S.anomaliesQuerySchema,
    ok: { status: 200, schema: S.anomalyListSchema, description: 'anomalies' },
    errors: [400, 404],
  },
  {
    method: 'get',
    path: '/calendar',
    summary: 'Wedding days and protection windows overlapping [from, to) (default: the next 7 days)',
    role: 'viewer',
    query: S.calendarQuerySchema,
    ok: { status: 200, schema: S.calendarListSchema, description: 'calendar windows' },
    errors: [400, 404],
  },
  {
    method: 'get',
    path: '/deploy-freeze',
    summary: 'May a deploy land now? Per target: frozen, since, until and the live weddings; reasons; the last break glass',
    role: 'viewer',
    query: S.deployFreezeQuerySchema,
    ok: { status: 200, schema: S.deployFreezeSchema, description: 'the deploy freeze' },
    errors: [400, 404],
  },
  {
    method: 'get',
    path: '/overrides',
    summary: 'Active overrides',
    role: 'viewer',
    query: S.overridesQuerySchema,
    ok: { status: 200, schema: S.overrideListSchema, description: 'overrides' },
    errors: [400, 404],
  },
  {
    method: 'post',
    path: '/overrides',
    summary: 'Set an override (coordinators: freeze or floor with untilWeddingEnds only). The author comes from the token.',
    role: 'coordinator',
    body: S.overrideRequestSchema,
    ok: {
      status: 201,
      schema: S.overrideChangeSchema,
      description: 'the override set and stored (durable: true); 202 with the same body and durable: false when it is in force but not stored yet',
    },
    errors: [400, 409, 413, 415],
  },
  {
    method: 'delete',
    path: '/overrides/{id}',
    summary: 'Remove an active override (coordinators: wedding-long freezes and floors only)',
    role: 'coordinator',
    params: S.overrideParamsSchema,
    ok: {
      status: 200,
      schema: S.overrideChangeSchema,
      description: 'the override removed and stored (durable: true); 202 with the same body and durable: false when not stored yet',
    },
    errors: [400, 404],
  },
  {
    method: 'post',
    path: '/ingest',
    summary: 'Push samples for series the targets watch; 429 with Retry-After when saturated',
    role: 'operator',
    body: S.ingestRequestSchema,
    ok: { status: 200, schema: S.ingestResultSchema, description: 'samples stored, and those not stored by reason' },
    errors: [400, 413, 415],
  },
  {
    method: 'post',
    path: '/reload',
    summary: 'Re-read and validate the config file; apply api.tokens and api.corsOrigins live, list what needs a restart',
    role: 'admin',
    ok: { status: 200, schema: S.reloadResultSchema, description: 'what was applied' },
    errors: [404, 422],
  },
  {
    method: 'post',
    path: '/calendar/confirm',
    summary: 'Apply a calendar update held back because it removes too many upcoming weddings, named by source and fingerprint (GET /status)',
    role: 'admin',
    body: S.calendarConfirmRequestSchema,
    ok: { status: 200, schema: S.calendarConfirmResultSchema, description: 'the update now in force' },
    errors: [400, 404, 409, 413, 415],
  },
  {
    method: 'get',
    path: '/capacity-plan',
    summary: 'Capacity for a window (default: the coming weekend): per target the forecast peak, pods needed and when, nodes in its pool, and the cost',
    role: 'viewer',
    query: S.capacityPlanQuerySchema,
    ok: { status: 200, schema: S.capacityPlanSchema, description: 'capacity plan' },
    errors: [400],
  },
  {
    method: 'get',
    path: '/audit',
    summary: 'Who changed what and when, newest first',
    role: 'viewer',
    query: S.auditQuerySchema,
    ok: { status: 200, schema: S.auditListSchema, description: 'audit entries' },
    errors: [400],
  },
  {
    method: 'get',
    path: '/openapi.json',
    summary: 'This document',
    role: null,
    ok: { status: 200, schema: z.record(z.string(), z.unknown()), description: 'OpenAPI 3.1 document' },
    errors: [],
  },
];

const STATUS_TEXT: Record<number, string> = {
  400: 'invalid input (details name each field and reason)',
  401: 'missing or invalid bearer token',
  403: "the token's role may not do this",
  404: 'not found',
  409: 'conflict',
  413: 'body or batch too large',
  415: 'Content-Type must be application/json',
  422: 'the config file is invalid (details name each problem); nothing was changed',
  429: 'rate limited or saturated (see Retry-After)',
};

function jsonSchema(schema: ZodType): Record<string, unknown> {
  const { $schema: _drop, ...rest } = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  return rest;
}

function parameters(obj: ZodObject | undefined, where: 'query' | 'path'): unknown[] {
  if (!obj) return [];
  return Object.entries(obj.shape).map(([name, s]) => ({
    name,
    in: where,
    required: where === 'path' || !(s as ZodType).safeParse(undefined).success,
    schema: jsonSchema(s as ZodType),
    ...((s as ZodType).description ? { description: (s as ZodType).description } : {}),
  }));
}

const ROLE_NOTE: Record<Role, string> = {
  viewer: 'any role',
  coordinator: 'coordinator, operator or admin',
  operator: 'operator or admin',
  admin: 'admin',
};

export function buildOpenApiDocument(): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const r of ROUTES) {
    const statuses = r.role ? [...r.errors, 401, 403, 429] : r.errors;
    const responses: Record<string, unknown> = {
      [r.ok.status]: { description: r.ok.description, content: { 'application/json': { schema: jsonSchema(r.ok.schema) } } },
    };
    for (const s of [...new Set(statuses)].sort()) responses[s] = { $ref: `#/components/responses/E${s}` };
    paths[r.path] ??= {};
    paths[r.path][r.method] = {
      summary: r.summary,
      operationId: `${r.method}${r.path.replace(/[{}]/g, '').replace(/[/.](\w)/g, (_m, c: string) => c.toUpperCase())}`,
      ...(r.role ? { security: [{ bearer: [] }], description: `Needs ${ROLE_NOTE[r.role]}.` } : { security: [] }),
      parameters: [...parameters(r.params, 'path'), ...parameters(r.query, 'query')],
      ...(r.body ? { requestBody: { required: true, content: { 'application/json': { schema: jsonSchema(r.body) } } } } : {}),
      responses,
    };
  }
  const error = jsonSchema(S.apiErrorSchema);
  return {
    openapi: '3.1.0',
    info: {
      title: 'WedSync agent operator API',
      version: VERSION,
      description: 'Status, forecasts, decisions, overrides and ingest. Instants are ISO-8601 strings in UTC.',
    },
    servers: [{ url: '/api/v1' }],
    security: [{ bearer: [] }],
    paths,
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'Tokens map to roles: viewer, coordinator, operator, admin.' } },
      schemas: { ApiError: error },
      responses: Object.fromEntries(
        Object.entries(STATUS_TEXT).map(([s, d]) => [
          `E${s}`,
          { description: d, content: { 'application/json': { schema: { $ref: '#/components/schemas/ApiError' } } } },
        ]),
      ),
    },
  };
}
