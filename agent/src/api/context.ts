/** What every route group of the operator API is handed. */
import type { Request, Response, NextFunction, RequestHandler } from 'express';
import express from 'express';
import type { ZodType, z } from 'zod';
import type { ApiConfig } from '../config/schema';
import type { AgentState, TargetState } from '../state';
import type { Clock } from '../util/clock';
import type { Auditor } from './audit';
import type { ApiMetrics } from './api-metrics';
import type { OverrideDurability } from './override-durability';
import { badRequest, HttpError } from './errors';

export interface RouteContext {
  state: AgentState;
  config: ApiConfig;
  clock: Clock;
  auditor: Auditor;
  metrics: ApiMetrics;
  /** Whether override changes are stored yet (the agent's durable state); absent: the router alone, taken as durable. */
  durability?: OverrideDurability;
}

/** Parses query or params with a schema; a failure is a 400 naming each bad field. */
export function parse<S extends ZodType>(schema: S, value: unknown, root: string): z.output<S> {
  const r = schema.safeParse(value ?? {});
  if (!r.success) throw badRequest(r.error, root);
  return r.data;
}

export function targetOr404(state: AgentState, id: string | undefined, field = 'target'): TargetState | undefined {
  if (id === undefined) return undefined;
  const t = state.targets.get(id);
  if (!t) throw new HttpError(404, `unknown ${field} "${id}" (known: ${[...state.targets.keys()].join(', ')})`);
  return t;
}

/** 415 unless the body is declared JSON, then a size-limited JSON parse (413 beyond `limit` bytes). */
export function jsonBody(limit: number): RequestHandler[] {
  const parser = express.json({ limit, strict: true, type: () => true });
  return [
    (req: Request, _res: Response, next: NextFunction) => {
      // req.is: null when there is no body at all, false when the body is not declared JSON.
      const json = req.is('application/json');
      if (json === null) return next(new HttpError(400, 'a JSON body is required', [{ field: '(body)', reason: 'is missing' }]));
      if (!json) return next(new HttpError(415, 'Content-Type must be application/json'));
      next();
    },
    parser,
  ];
}

export function sinceMs(since: string | undefined): number {
  return since === undefined ? -Infinity : Date.parse(since);
}
