/**
 * The core configuration schemas that 50-odd modules import for their types: a target, the wedding rules,
 * the planner's policy, the API's keys, a calendar source. It imports no plug-in and no other section:
 * the whole agent config is agent-config.ts, and the composition root (app/config-schema.ts) puts the
 * plug-ins' own schemas into `sources` and `sinks`.
 *
 * Every key has a default where a sensible one exists, so a minimal config is short. Cross-field rules
 * (min ≤ max, unique target ids, known sources) live in `superRefine` so their errors carry key paths too.
 * Secrets are never written inline: `secretRef` fields must be `${ENV_VAR}` references (see load.ts).
 */
import { z } from 'zod';
import { dnsLabel, positiveSeconds, timeZone } from './common';
import { targetCostSchema } from './pricing-config';

/** Cloud providers the fleet identity knows (identity/). */
export type Provider = 'eks' | 'gke' | 'aks' | 'other';

export const TRADITION_DEFAULTS: Record<string, number> = {
  indian: 2.0,
  nigerian: 1.8,
  chinese: 1.5,
  greek: 1.4,
  jewish: 1.3,
  british: 1.0,
};

const kubernetesRef = z
  .object({
    kind: z.enum(['Deployment', 'StatefulSet']).default('Deployment'),
    namespace: z.string().min(1),
    name: z.string().min(1),
  })
  .strict();

const loadSpec = z
  .object({
    /** Which source reads this target's load: a key of `sources`. */
    source: z.string().min(1).default('prometheus'),
    /** PromQL for the Prometheus source (an instant vector reduced to one number); series name for push/simulator. */
    query: z.string().min(1),
  })
  .strict();

export const targetSchema = z
  .object({
    id: dnsLabel,
    kubernetes: kubernetesRef,
    load: loadSpec,
    /** Load one ready pod serves at 100 % utilisation, in the load query's unit (usually requests/second). */
    capacityPerPod: z.number().positive(),
    targetUtilization: z.number().gt(0).max(1).default(0.7),
    minReplicas: z.number().int().min(0).default(1),
    maxReplicas: z.number().int().min(1),
    podStartupSeconds: positiveSeconds.default(120),
    weddingCritical: z.boolean().default(false),
    /** Peak-season region (a key of wedding.peakSeason.regions). */
    region: z.string().default('north'),
    /** Time zones whose weddings this target serves; empty means all weddings. */
    timezones: z.array(timeZone).default([]),
    /** Pod requests (fallback), capacity type and node pool: cost/pricing-config.ts. */
    cost: targetCostSchema.optional(),
    /**
     * This target's own values for some `policy` settings (what `wedsync-agent tune` recommends); every
     * setting not named here is the global `policy`'s. Applied by config/target-policy.ts.
     */
    policy: z.lazy(() => policyOverrideSchema).optional(),
  })
  .strict();

export const calendarSource = z
  .object({
    format: z.enum(['json', 'ical']),
    /** A file path (relative to the config file) or an http(s) URL. */
    location: z
      .string()
      .min(1)
      .refine((l) => !/^[a-z][a-z0-9+.-]*:\/\//i.test(l) || /^https?:\/\//i.test(l), {
        message: 'must be an http(s) URL or a file path (no other URL scheme is read)',
      }),
    /** Sent as `Authorization: Bearer …`; must be an `${ENV}` reference (load.ts). */
    bearerToken: z.string().optional(),
    /**
     * Extra request headers (e.g. `X-Api-Key`, `Authorization: Basic …`). A header whose name looks like a
     * credential (authorization, cookie, token, key, secret, password) must be an `${ENV}` reference (load.ts).
     */
    headers: z.record(z.string().regex(/^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/, 'must be an HTTP header name'), z.string()).optional(),
  })
  .strict();

const phaseHours = z.tuple([z.number(), z.number()]).refine(([a, b]) => a < b, { message: 'start must be before end' });

export const weddingRulesSchema = z
  .object({
    /** Phase windows in hours relative to the ceremony start, per celebration day. */
    phases: z
      .object({
        pre: phaseHours.default([-2, 0]),
        ceremony: phaseHours.default([0, 1]),
        reception: phaseHours.default([1, 6]),
        cleanup: phaseHours.default([6, 8]),
      })
      .strict()
      .default({ pre: [-2, 0], ceremony: [0, 1], reception: [1, 6], cleanup: [6, 8] }),
    /** Relative load of each phase (multiplies guests × tradition × perGuestLoad). */
    phaseFactors: z
      .object({
        pre: z.number().min(0).default(0.5),
        ceremony: z.number().min(0).default(1.0),
        reception: z.number().min(0).default(1.5),
        cleanup: z.number().min(0).default(0.3),
      })
      .strict()
      .default({ pre: 0.5, ceremony: 1.0, reception: 1.5, cleanup: 0.3 }),
    /** Load multiplier per tradition (lower-case keys); unknown traditions use `defaultTraditionMultiplier`. */
    traditions: z.record(z.string(), z.number().positive()).default(TRADITION_DEFAULTS),
    defaultTraditionMultiplier: z.number().positive().default(1.0),
    /** Load one guest adds at phase factor 1, in the targets' load unit. */
    perGuestLoad: z.number().nonnegative().default(0.1),
    peakSeason: z
      .object({
        /** Months (1–12) of peak season per region; targets name their region. */
        regions: z.record(z.string(), z.array(z.number().int().min(1).max(12)).min(1)).default({ north: [5, 6, 7, 8, 9, 10], south: [11, 12, 1, 2, 3, 4] }),
        /** Time zone that decides the month for a region (season boundaries are local midnights). */
        timezone: timeZone.default('UTC'),
      })
      .strict()
      .default({ regions: { north: [5, 6, 7, 8, 9, 10], south: [11, 12, 1, 2, 3, 4] }, timezone: 'UTC' }),
    /** Days on which live weddings trigger protection (no scale-down, deploy freeze), in the wedding's own zone. 6 = Saturday. */
    protectedWeekdays: z.array(z.number().int().min(1).max(7)).default([6]),
  })
  .strict();

export const policySchema = z
  .object({
    /** Extra capacity kept for wedding-critical targets while their weddings are live. */
    weddingHeadroom: z.number().min(0).max(5).default(0.2),
    /** Peak-season multiplier on the baseline floor (minReplicas). */
    peakSeasonPreScale: z.number().min(0).max(5).default(0.4),
    scaleDownStabilizationSeconds: z.number().min(0).default(300),
    /** Largest step per period, as a fraction of current replicas (at least 1 pod down, at least maxScaleUpPods up). */
    maxScaleUpRatio: z.number().positive().default(1.0),
    maxScaleUpPods: z.number().int().positive().default(4),
    maxScaleDownRatio: z.number().positive().max(1).default(0.1),
    /** The step limits apply per period (the HPA's policies use 15 s), compounded over the time since the last decision. */
    stepPeriodSeconds: z.number().positive().default(15),
    /** After a wedding window, scale down by at most this fraction per minute. */
    postWeddingScaleDownPerMinute: z.number().positive().max(1).default(0.05),
    /** HPA tolerance: no change while |observed/target − 1| is below this. */
    tolerance: z.number().min(0).max(1).default(0.1),
    /** Predictive window after the lead time (pod start-up), in seconds. */
    predictiveWindowSeconds: z.number().min(0).default(60),
    /** Weight of the calendar's announced rise in expected wedding load (load now + scale × rise); 0 turns it off. */
    calendarStepScale: z.number().min(0).default(1),
    /**
     * What Saturday protection holds while a protecting wedding is live. `peak` (the default): never below
     * the highest count the window's needs asked for, without what only a surge or burst headroom added.
     * `all`: no scale-down at all. `demand`: everything running when the window opened and every pod
     * observed load asked for since, but not capacity only a prediction asked for and the load never confirmed.
     */
    saturdayHold: z.enum(['peak', 'all', 'demand']).default('peak'),
    /** How long after a protecting wedding window the gradual ramp-down applies. */
    postWeddingRampdownSeconds: z.number().min(0).default(3600),
    /** Detector score (spike or level shift) that arms the surge rule. */
    surgeOnsetScore: z.number().gt(0).max(1).default(0.7),
    /** Load this far above what the forecast said for now (0.5 = 50 %) also arms the surge rule. */
    surgeForecastMiss: z.number().positive().default(0.5),
    /** Span the surge's growth rate is measured over (at least one tick). */
    surgeSlopeWindowSeconds: z.number().positive().default(60),
    /** Upper bound on the growth the surge rule extrapolates over one start-up (× the load now). */
    surgeMaxGrowth: z.number().min(1).default(4),
    /** Burst headroom: the quantile of recent rises within one start-up kept as room (0 turns the rule off). */
    burstQuantile: z.number().min(0).lt(1).default(0.98),
    /** How long a rise counts in burst headroom's history (its weight decays with this time constant). */
    burstMemorySeconds: z.number().positive().default(86400),
  })
  .strict();

/** The same settings, each optional and without a default: a target's `policy` overrides only what it names. */
export const policyOverrideSchema = z
  .object(
    Object.fromEntries(
      Object.entries(policySchema.shape).map(([key, field]) => [key, (field instanceof z.ZodDefault ? field.unwrap() : field).optional()]),
    ) as {
      [K in keyof typeof policySchema.shape]: z.ZodOptional<ReturnType<(typeof policySchema.shape)[K]['unwrap']>>;
    },
  )
  .strict();

export const apiSchema = z
  .object({
    /** sha256 hex digests of bearer tokens, mapped to a role. Plain tokens come only via WEDSYNC_API_TOKENS. */
    tokens: z
      .array(
        z
          .object({
            name: z.string().min(1),
            role: z.enum(['viewer', 'coordinator', 'operator', 'admin']),
            sha256: z.string().regex(/^[0-9a-f]{64}$/, 'must be a sha256 hex digest'),
          })
          .strict(),
      )
      .default([]),
    corsOrigins: z.array(z.url()).default([]),
    overrideMaxHorizonHours: z.number().positive().default(168),
    maxIngestSamples: z.number().int().positive().default(10000),
    /** Ingest throughput the agent accepts before answering 429 (a token bucket holding one second's worth). */
    ingestSamplesPerSecond: z.number().int().positive().default(1_000_000),
    /** Ingest requests being read and applied at once; more are answered 429 before their body is read. */
    ingestMaxConcurrent: z.number().int().positive().default(8),
    /** Requests per minute per token (express-rate-limit); over it the API answers 429 with Retry-After. */
    rateLimitPerMinute: z.number().int().positive().default(600),
    /** Failed authentications per minute from one address before it is refused outright (429): slows token guessing. */
    authFailuresPerMinute: z.number().int().positive().default(30),
  })
  .strict();

export type TargetConfig = z.infer<typeof targetSchema>;
export type WeddingRules = z.infer<typeof weddingRulesSchema>;
export type PlanPolicy = z.infer<typeof policySchema>;
export type ApiConfig = z.infer<typeof apiSchema>;
export type CalendarSourceConfig = z.infer<typeof calendarSource>;
export type Role = ApiConfig['tokens'][number]['role'];
