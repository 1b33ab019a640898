/**
 * The operator API's request and response schemas (zod, the config's library). Requests are parsed
 * with them; the OpenAPI document is generated from them; tests check real responses against them.
 * Response schemas mirror contract.ts (the TypeScript shapes the code and the panel compile against).
 */
import { z } from 'zod';

const instant = z.iso.datetime({ offset: true, error: 'must be an ISO-8601 instant with a zone, e.g. 2027-06-05T18:00:00Z' });
const targetId = z.string().min(1).max(63);
const overrideType = z.enum(['pin', 'floor', 'freeze']);

// ---- Requests --------------------------------------------------------------------------------------

export const overrideRequestSchema = z
  .object({
    target: targetId,
    type: overrideType,
    replicas: z.number().int().min(0).max(10_000).optional().describe('required for pin and floor, not allowed for freeze'),
    until: instant.optional(),
    untilWeddingEnds: z.boolean().optional(),
    reason: z.string().trim().min(1, 'must not be empty').max(500),
  })
  .strict()
  .superRefine((o, ctx) => {
    if (o.type === 'freeze' && o.replicas !== undefined) ctx.addIssue({ code: 'custom', path: ['replicas'], message: 'is not allowed for a freeze' });
    if (o.type !== 'freeze' && o.replicas === undefined) ctx.addIssue({ code: 'custom', path: ['replicas'], message: `is required for a ${o.type}` });
    const byWedding = o.untilWeddingEnds === true;
    if (byWedding === (o.until !== undefined))
      ctx.addIssue({ code: 'custom', path: ['until'], message: 'give exactly one of "until" and "untilWeddingEnds": true' });
  });

const finite = z.number().refine(Number.isFinite, 'must be a finite number');
export const ingestRequestSchema = z
  .object({
    series: z.array(
      z
        .object({
          name: z.string().min(1).max(512),
          labels: z.record(z.string().max(128), z.string().max(512)).optional(),
          points: z.array(z.tuple([z.number().int().min(0).max(8.64e15), finite]).describe('[unix_ms, value]')),
        })
        .strict(),
    ),
  })
  .strict();

export const calendarConfirmRequestSchema = z
  .object({
    source: z.string().min(1).max(2048).describe('the calendar source location, as in calendar.sources and GET /status'),
    fingerprint: z
      .string()
      .regex(/^[0-9a-f]{16}$/, 'must be the 16 hex digits GET /status shows for the held update')
      .describe("the held update's fingerprint"),
    reason: z.string().trim().min(1, 'must not be empty').max(500),
  })
  .strict();

// Query strings: every value arrives as a string (or an array when repeated, which is refused).
const limit = (max: number, dflt: number) => z.coerce.number().int().min(1).max(max).default(dflt);
export const decisionsQuerySchema = z.object({ target: targetId.optional(), since: instant.optional(), limit: limit(1000, 100) }).strict();
export const anomaliesQuerySchema = z.object({ target: targetId.optional(), since: instant.optional(), limit: limit(500, 100) }).strict();
export const auditQuerySchema = z.object({ since: instant.optional(), limit: limit(1000, 100) }).strict();
export const calendarQuerySchema = z.object({ from: instant.optional(), to: instant.optional(), target: targetId.optional() }).strict();
export const forecastQuerySchema = z
  .object({
    horizon: z.coerce
      .number()
      .gt(0)
      .max(24 * 14)
      .optional()
      .describe('hours ahead (default: the whole forecast)'),
  })
  .strict();
export const capacityPlanQuerySchema = z
  .object({
    from: instant.optional().describe('default: the coming Saturday 00:00 (wedding.peakSeason.timezone)'),
    to: instant.optional().describe('default: the Monday 00:00 after from; at most 14 days after from'),
  })
  .strict();
export const overridesQuerySchema = z.object({ target: targetId.optional() }).strict();
export const emptyQuerySchema = z.object({}).strict();
export const targetParamsSchema = z.object({ id: targetId }).strict();
export const overrideParamsSchema = z.object({ id: z.string().min(1).max(64) }).strict();

// ---- Responses (mirror contract.ts) ----------------------------------------------------------------

const nullableNumber = z.number().nullable();
const nullableString = z.string().nullable();
const reason = z.object({ rule: z.string(), replicas: z.number(), detail: z.string() });
/** Kinds are open strings here: the planner and detectors may add kinds without breaking clients. */
const protection = z
  .string()
  .describe(
    'saturday, peak_season, wedding_headroom, post_wedding_rampdown, override_pin, override_floor, override_freeze, stale_data, peer_failover, fleet_data_missing, …',
  );
const anomalyKind = z.string().describe('none, spike, dip, level_shift, missing_expected_load, …');

export const apiErrorSchema = z.object({ error: z.string(), details: z.array(z.object({ field: z.string(), reason: z.string() })).optional() });

export const overrideSchema = z.object({
  id: z.string(),
  target: z.string(),
  type: overrideType,
  replicas: z.number().int().optional(),
  until: z.string(),
  untilWeddingEnds: z.boolean(),
  reason: z.string(),
  author: z.string(),
  createdAt: z.string(),
});

/** POST /overrides and DELETE /overrides/{id}: the override, and whether the change is stored yet (201/200) or not (202). */
export const overrideChangeSchema = overrideSchema.extend({
  durable: z.boolean().describe('true: in the stored state (survives a restart); false: in force here, not stored yet (answered 202)'),
  notDurable: z.string().optional().describe('why the change is not stored yet, when durable is false'),
});

export const decisionSchema = z.object({
  target: z.string(),
  at: z.string(),
  currentReplicas: z.number(),
  desiredReplicas: z.number(),
  reasons: z.array(reason),
  protections: z.array(protection),
  deployFreeze: z.boolean(),
  holding: z.boolean(),
});

export const costSchema = z.object({
  currency: z.string().describe('ISO 4217 code of pricing.currency'),
  perReplicaHour: nullableNumber.describe('price of one replica-hour; null when unknown (never 0 for unknown)'),
  perHour: nullableNumber.describe('perReplicaHour × the replicas running now; null when unknown'),
  source: z.enum(['opencost', 'table', 'unknown']),
  detail: z.string(),
});

const targetStatusSchema = z.object({
  id: z.string(),
  kubernetes: z.object({ kind: z.string(), namespace: z.string(), name: z.string() }),
  weddingCritical: z.boolean(),
  replicas: z.object({ current: nullableNumber, ready: nullableNumber, desired: nullableNumber, min: z.number(), max: z.number() }),
  scaleError: nullableString,
  load: z.object({
    observed: nullableNumber,
    observedAt: nullableString,
    stale: z.boolean(),
    error: nullableString,
    forecastAtLead: nullableNumber,
    expectedWedding: z.number(),
  }),
  capacityPerPod: z.number(),
  targetUtilization: z.number(),
  liveWeddings: z.number(),
  peakSeason: z.boolean(),
  protections: z.array(protection),
  deployFreeze: z.boolean(),
  overrides: z.array(overrideSchema),
  anomaly: z.object({ score: z.number(), kind: anomalyKind }),
  lastDecision: decisionSchema.nullable(),
  cost: costSchema.nullable(),
});

export const heldCalendarUpdateSchema = z.object({
  fingerprint: z.string(),
  upcomingBefore: z.number().int().describe('upcoming weddings in the calendar in force'),
  upcomingAfter: z.number().int().describe('upcoming weddings in the held update'),
  weddings: z.number().int().describe('all weddings in the held update'),
  since: z.string(),
});

export const statusSchema = z.object({
  agent: z.object({
    version: z.string(),
    cluster: z.string(),
    provider: z.string().describe('eks, gke, aks or other (agent.provider, else detected from the nodes)'),
    region: z.string().describe('agent.region, else detected from the nodes; unknown when neither'),
    mode: z.string(),
    leader: z.boolean(),
    startedAt: z.string(),
    lastTick: nullableString,
    lastTickDurationMs: nullableNumber,
    ticks: z.number(),
    now: z.string(),
    loadUnit: z.string().describe("agent.loadUnit: the targets' load as a Grafana unit id (reqps, ops, short…)"),
    currency: z.string().describe('pricing.currency (USD when unset): the currency of every cost the agent reports'),
  }),
  targets: z.array(targetStatusSchema),
  sinks: z.array(
    z.object({ name: z.string(), type: z.string(), healthy: z.boolean(), queueLength: z.number(), dropped: z.number(), lastError: nullableString }),
  ),
  calendar: z.array(
    z.object({
      location: z.string(),
      ok: z.boolean(),
      weddings: z.number(),
      lastSuccess: nullableString,
      lastError: nullableString,
      held: heldCalendarUpdateSchema.nullable().describe('an update held back because it removes too many upcoming weddings'),
      skippedEvents: z.number().describe('events of the last read left out because they could not be read'),
      notedEvents: z.number().describe('events of the last read kept with a note (a default used, UTC assumed, a repeated id)'),
      issues: z.array(z.object({ event: z.number(), id: nullableString, problem: z.string(), skipped: z.boolean() })).describe('the first of them, named'),
    }),
  ),
  fleet: z
    .object({
      dataOk: z.boolean().describe('false while the global store cannot be trusted: the agent holds'),
      error: nullableString,
      checkedAt: nullableString,
      peers: z.array(
        z.object({
          cluster: z.string(),
          share: z.number(),
          health: z.enum(['unknown', 'up', 'lost']),
          lastSeen: nullableString,
          lostSince: nullableString,
          reason: z.string(),
        }),
      ),
    })
    .nullable()
    .describe('the peer clusters (fleet.peers) as this agent sees them; null when it runs alone'),
});

export const forecastSchema = z.object({
  target: z.string(),
  method: z.string(),
  coldStart: z.boolean(),
  points: z.array(z.object({ t: z.string(), value: z.number(), lower: z.number(), upper: z.number() })),
});

export const anomalySchema = z.object({ target: z.string(), series: z.string(), at: z.string(), value: z.number(), score: z.number(), kind: anomalyKind });

export const calendarWindowSchema = z.object({
  weddingId: z.string(),
  title: z.string(),
  timezone: z.string(),
  day: z.number().int(),
  localDate: z.string(),
  start: z.string(),
  end: z.string(),
  saturdayProtection: z.boolean(),
  guests: z.number(),
  tradition: z.string(),
});

export const auditSchema = z.object({
  at: z.string(),
  actor: z.string(),
  role: z.string(),
  action: z.string(),
  target: z.string().optional(),
  detail: z.record(z.string(), z.unknown()),
});

const source = z.enum(['opencost', 'table', 'unknown']);
const resources = z.object({ cpu: z.number(), memoryGiB: z.number() });
export const capacityPlanSchema = z.object({
  cluster: z.string(),
  from: z.string(),
  to: z.string(),
  stepSeconds: z.number(),
  targets: z.array(
    z.object({
      target: z.string(),
      method: z.string(),
      peak: z.object({ load: z.number(), at: z.string() }).nullable(),
      pods: z.object({
        peak: z.number().int(),
        neededAt: nullableString,
        requestBy: nullableString.describe('one pod start-up before neededAt'),
        cappedAtMax: z.boolean(),
        wantedAtPeak: z.number().int(),
        steps: z.array(z.object({ from: z.string(), to: z.string(), pods: z.number().int() })),
      }),
      nodes: z.union([
        z.object({ pool: z.string(), podsPerNode: z.number().int(), peak: z.number().int(), allocatable: resources }),
        z.object({ pool: z.null(), reason: z.string() }),
      ]),
      cost: z.object({
        currency: z.string(),
        perReplicaHour: nullableNumber,
        peakPerHour: nullableNumber,
        replicaHours: z.number(),
        window: nullableNumber,
        source,
        detail: z.string(),
      }),
      missingPoints: z.number().int(),
    }),
  ),
  pools: z.array(z.object({ pool: z.string(), peakNodes: z.number().int(), at: nullableString, targets: z.array(z.string()) })),
  cost: z.object({ currency: z.string(), window: nullableNumber, peakPerHour: nullableNumber, unknownTargets: z.array(z.string()) }),
});

export const decisionListSchema = z.object({ decisions: z.array(decisionSchema) });
export const anomalyListSchema = z.object({ anomalies: z.array(anomalySchema) });
export const calendarListSchema = z.object({ from: z.string(), to: z.string(), windows: z.array(calendarWindowSchema) });
export const overrideListSchema = z.object({ overrides: z.array(overrideSchema) });
export const auditListSchema = z.object({ entries: z.array(auditSchema) });
export const reloadResultSchema = z.object({
  applied: z.array(z.string()).describe('keys applied live (api.tokens, api.corsOrigins)'),
  restartNeeded: z.array(z.string()).describe('changed sections that take effect after a restart'),
  tokens: z.number().int(),
});
export const ingestResultSchema = z.object({
  accepted: z.number().int().describe('samples stored'),
  rejected: z
    .object({
      unwatched: z.number().int().describe('series no target watches'),
      future: z.number().int().describe('timestamp beyond the allowed clock skew'),
      out_of_order: z.number().int().describe("older than the series' latest point"),
      negative: z.number().int().describe('negative load'),
      non_finite: z.number().int().describe('not a finite number'),
      series_limit: z.number().int().describe('the push source holds too many series'),
      implausible: z.number().int().describe("above every watching target's maxReplicas × capacityPerPod × 100: a unit mistake or a broken exporter"),
    })
    .strict()
    .describe('samples not stored, by reason'),
  series: z.number().int(),
});
export const calendarConfirmResultSchema = heldCalendarUpdateSchema.extend({ source: z.string() });

export const deployFreezeQuerySchema = z.object({ target: targetId.optional() }).strict();

export const breakGlassSchema = z.object({ at: z.string(), by: z.string(), reason: z.string(), duringFreeze: z.boolean(), weddings: z.array(z.string()) });
export const deployFreezeSchema = z.object({
  at: z.string(),
  frozen: z.boolean(),
  since: nullableString,
  until: nullableString,
  targets: z.array(
    z.object({
      id: z.string(),
      kubernetes: z.object({ kind: z.string(), namespace: z.string(), name: z.string() }),
      evaluatedAt: nullableString.describe("null before the target's first tick: the freeze is unknown"),
      frozen: z.boolean(),
      since: nullableString,
      until: nullableString,
      weddings: z.array(
        z.object({ id: z.string(), title: z.string(), timezone: z.string(), localDate: z.string(), phase: z.string(), start: z.string(), end: z.string() }),
      ),
      lastBreakGlass: breakGlassSchema.nullable(),
    }),
  ),
  reasons: z.array(z.string()),
});
