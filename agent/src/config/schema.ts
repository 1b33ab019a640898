/**
 * The agent's configuration schema: the one place that says what a valid config is. Each source and sink
 * keeps its own schema beside its code (sources/registry.ts and sinks/registry.ts list them); this file
 * composes them with the agent-wide keys.
 *
 * Every key has a default where a sensible one exists, so a minimal config is short. Cross-field rules
 * (min ≤ max, unique target ids, known sources) live in `superRefine` so their errors carry key paths too.
 * Secrets are never written inline: `secretRef` fields must be `${ENV_VAR}` references (see load.ts).
 */
import { isIP } from 'node:net';
import { z } from 'zod';
import { dnsLabel, positiveSeconds, timeZone } from './common';
import { sinkConfigSchema, type SinkConfig } from '../sinks/registry';
import { sourceConfigSchema, type SourceConfig } from '../sources/registry';
import { pagingConfig } from '../paging/paging-config';
import { FLEET_DEFAULTS, fleetIssues, fleetSchema } from '../fleet/fleet-config';
import { checkPricingAgainstConfig, pricingSchema, targetCostSchema } from '../cost/pricing-config';
import { promqlSyntaxError } from '../sources/promql-syntax';

export type { SinkConfig, SourceConfig };


/** A value that must come from the environment; load.ts checks the raw file held `${NAME}` here. */
export const SECRET_KEYS = new Set(['apiKey', 'licenseKey', 'routingKey', 'token', 'password', 'bearerToken']);

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

/** An IP address or a DNS host name (what server.listen accepts). */
const listenHost = z
  .string()
  .refine((h) => isIP(h) !== 0 || /^(?=.{1,253}$)[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/.test(h), { message: 'must be an IP address or a host name' });

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
  })
  .strict();


const calendarSource = z
  .object({
    format: z.enum(['json', 'ical']),
    /** A file path (relative to the config file) or an http(s) URL. */
    location: z
      .string()
      .min(1)
      .refine((l) => !/^[a-z][a-z0-9+.-]*:\/\//i.test(l) || /^https?:\/\//i.test(l), { message: 'must be an http(s) URL or a file path (no other URL scheme is read)' }),
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
      .object({ pre: z.number().min(0).default(0.5), ceremony: z.number().min(0).default(1.0), reception: z.number().min(0).default(1.5), cleanup: z.number().min(0).default(0.3) })
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

const apiSchema = z
  .object({
    /** sha256 hex digests of bearer tokens, mapped to a role. Plain tokens come only via WEDSYNC_API_TOKENS. */
    tokens: z
      .array(z.object({ name: z.string().min(1), role: z.enum(['viewer', 'coordinator', 'operator', 'admin']), sha256: z.string().regex(/^[0-9a-f]{64}$/, 'must be a sha256 hex digest') }).strict())
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



/** Sink names must be unique (the name defaults to the type): metrics and /status are keyed by it. */
const sinksSchema = z
  .array(sinkConfigSchema)
  .default([])
  .superRefine((sinks, ctx) => {
    const seen = new Map<string, number>();
    sinks.forEach((s, i) => {
      const name = s.name ?? s.type;
      if (seen.has(name)) ctx.addIssue({ code: 'custom', path: [i, 'name'], message: `duplicate sink name "${name}" (also sinks[${seen.get(name)}]); give each ${s.type} sink its own name` });
      else seen.set(name, i);
      if ('maxBatch' in s && s.maxBatch > s.maxQueue) ctx.addIssue({ code: 'custom', path: [i, 'maxBatch'], message: `maxBatch (${s.maxBatch}) is above maxQueue (${s.maxQueue})` });
    });
  });

const configObject = z
  .object({
    agent: z
      .object({
        cluster: z.string().min(1).default('default'),
        /** Cloud and region (fleet identity); unset, detected from the nodes when connected to Kubernetes (identity/). */
        provider: z.enum(['eks', 'gke', 'aks', 'other']).optional(),
        region: z.string().min(1).optional(),
        mode: z.enum(['act', 'dry-run', 'shadow']).default('dry-run'),
        tickSeconds: positiveSeconds.default(15),
        /** A target whose tick work runs longer than this is counted as an error and skipped until it settles (see loop.ts). */
        tickTimeoutSeconds: positiveSeconds.optional(),
        listen: z.object({ host: listenHost.default('127.0.0.1'), port: z.number().int().min(0).max(65535).default(8080) }).strict().default({ host: '127.0.0.1', port: 8080 }),
        logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
      })
      .strict()
      .default({ cluster: 'default', mode: 'dry-run', tickSeconds: 15, listen: { host: '127.0.0.1', port: 8080 }, logLevel: 'info' }),
    sources: z.record(z.string(), sourceConfigSchema).default({}),
    calendar: z
      .object({
        sources: z.array(calendarSource).default([]),
        refreshSeconds: positiveSeconds.default(300),
        /** A calendar file or answer larger than this is refused unread (the last good one stays). */
        maxBytes: z.number().int().positive().default(16 * 1024 * 1024),
        /**
         * An update removing more than this fraction of a source's upcoming weddings is held (the last
         * good calendar stays in force) until an operator confirms it; 1 never holds.
         */
        maxDropFraction: z.number().min(0).max(1).default(0.5),
        /**
         * The memory budget for calendars, in upcoming weddings per source: a source with more is refused
         * with an error naming this key (the last good calendar stays). See BENCHMARKS.md (calendar memory).
         */
        maxWeddings: z.number().int().positive().default(20_000),
      })
      .strict()
      .default({ sources: [], refreshSeconds: 300, maxBytes: 16 * 1024 * 1024, maxDropFraction: 0.5, maxWeddings: 20_000 }),
    wedding: weddingRulesSchema.default(weddingRulesSchema.parse({})),
    policy: policySchema.default(policySchema.parse({})),
    kubernetes: z
      .object({
        /** in-cluster service account, a kubeconfig file, or the in-memory cluster (no cluster at all). */
        connection: z.enum(['in-cluster', 'kubeconfig', 'none']).default('none'),
        kubeconfig: z.string().optional(),
        leaseName: z.string().default('wedsync-agent'),
        leaseNamespace: z.string().default('wedsync'),
        leaseDurationSeconds: positiveSeconds.default(15),
        /** A leader that could not renew for this long stops acting (default 2/3 of the lease). */
        renewDeadlineSeconds: positiveSeconds.optional(),
        /** Time between leader-election rounds (default lease ÷ 7.5). */
        retryPeriodSeconds: positiveSeconds.optional(),
        /** kubeconfig context (default: the file's current context). */
        context: z.string().min(1).optional(),
        /** This replica's name in the Lease (default: $POD_NAME, else the host name). */
        identity: z.string().min(1).optional(),
        /** Annotation on each target workload that persists operator overrides. */
        overridesAnnotation: z.string().regex(/^([a-z0-9.-]+\/)?[A-Za-z0-9][-A-Za-z0-9_.]*$/, 'must be a Kubernetes annotation key').default('wedsync.io/overrides'),
        /**
         * The deploy freeze in the cluster (agent/deploy/overlays/admission): the leader keeps this ConfigMap
         * (the ValidatingAdmissionPolicy's parameter) current, and every replica watches the targets for
         * break glass. Absent: neither.
         */
        deployFreeze: z
          .object({
            configMap: z.string().regex(/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/, 'must be a ConfigMap name').default('wedsync-deploy-freeze'),
            /** Default: leaseNamespace (the agent's own namespace). */
            namespace: z.string().min(1).optional(),
            /** How long a written freeze holds without the agent: past it, the policy lets deploys through. */
            heartbeatSeconds: z.number().min(30).max(3600).default(120),
          })
          .strict()
          .optional(),
      })
      .strict()
      .default({ connection: 'none', leaseName: 'wedsync-agent', leaseNamespace: 'wedsync', leaseDurationSeconds: 15, overridesAnnotation: 'wedsync.io/overrides' }),
    state: z
      .object({
        /**
         * Without a cluster (kubernetes.connection "none"): the directory of the state file
         * (wedsync-agent-state.json). Unset: state is kept in memory only and lost on restart.
         */
        directory: z
          .string()
          .min(1)
          .refine((d) => !d.includes('\0'), { message: 'must be a directory path' })
          .optional(),
        /** With a cluster: the ConfigMap, in kubernetes.leaseNamespace, that holds the agent's state. */
        configMap: z.string().regex(/^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/, 'must be a Kubernetes object name').default('wedsync-agent-state'),
        /** Newest audit entries kept in the durable state (a ConfigMap holds at most 1 MiB). */
        maxAuditEntries: z.number().int().min(0).max(2000).default(200),
      })
      .strict()
      .default({ configMap: 'wedsync-agent-state', maxAuditEntries: 200 }),
    detection: z
      .object({
        /** Scores at or above this mark an anomaly (kept in the recent list, counted, shown on the panel). */
        threshold: z.number().gt(0).max(1).default(0.7),
      })
      .strict()
      .default({ threshold: 0.7 }),
    forecast: z
      .object({
        horizonHours: z.number().min(1).max(24 * 14).default(48),
        stepSeconds: positiveSeconds.default(60),
        /** History to backfill from the source at start-up (Prometheus query_range). */
        backfillHours: z.number().min(0).default(24 * 14),
      })
      .strict()
      .default({ horizonHours: 48, stepSeconds: 60, backfillHours: 24 * 14 }),
    api: apiSchema.default(apiSchema.parse({})),
    /** Thresholds and durations of the page-worthy conditions: /metrics, the alert rules and the PagerDuty sink share them. */
    paging: pagingConfig,
    sinks: sinksSchema,
    /** Price table and OpenCost: cost/pricing-config.ts. */
    pricing: pricingSchema.optional(),
    targets: z.array(targetSchema).min(1),
    fleet: fleetSchema.default(FLEET_DEFAULTS),
  })
  .strict();

export const configSchema = configObject
  // Cross-field rules run even when some fields failed (`when`), so `validate` lists every problem in one
  // pass. A part that failed its own schema is still raw here: each rule is guarded (crossFieldRules), and
  // a rule that cannot read its inputs says nothing (their own errors are already reported).
  .superRefine((cfg, ctx) => crossFieldRules(cfg, ctx), { when: () => true })
  // Unset, the tick timeout is 10 s, or the tick itself when that is shorter: work never overlaps the next tick.
  .transform((cfg) => ({
    ...cfg,
    agent: { ...cfg.agent, tickTimeoutSeconds: cfg.agent.tickTimeoutSeconds ?? Math.min(10, cfg.agent.tickSeconds) },
    // The price table row defaults to the cluster's configured identity (checked above).
    pricing:
      cfg.pricing && cfg.pricing.provider === undefined && cfg.pricing.region === undefined && cfg.agent.provider !== undefined && cfg.agent.region !== undefined
        ? { ...cfg.pricing, provider: cfg.agent.provider, region: cfg.agent.region }
        : cfg.pricing,
  }));

type AgentConfigInput = z.output<typeof configObject>;

/** Runs each rule on its own: one whose inputs are malformed (already reported) cannot hide the others. */
function crossFieldRules(cfg: AgentConfigInput, ctx: z.RefinementCtx): void {
  const rules: Array<() => void> = [
    () => targetRules(cfg, ctx),
    () => agentRules(cfg, ctx),
    () => {
      for (const issue of fleetIssues(cfg.fleet, cfg.agent.cluster)) ctx.addIssue({ code: 'custom', ...issue });
    },
    () => checkPricingAgainstConfig(cfg, ctx),
  ];
  for (const rule of rules) {
    try {
      rule();
    } catch (err) {
      if (!(err instanceof TypeError)) throw err;
    }
  }
}

function targetRules(cfg: AgentConfigInput, ctx: z.RefinementCtx): void {
  const seen = new Set<string>();
  cfg.targets.forEach((t, i) => {
    const source = cfg.sources[t.load?.source];
    if (source?.type === 'prometheus' && typeof t.load.query === 'string') {
      const syntax = promqlSyntaxError(t.load.query);
      if (syntax) ctx.addIssue({ code: 'custom', path: ['targets', i, 'load', 'query'], message: syntax });
    }
    if (seen.has(t.id)) ctx.addIssue({ code: 'custom', path: ['targets', i, 'id'], message: `duplicate target id "${t.id}"` });
    seen.add(t.id);
    if (t.minReplicas > t.maxReplicas)
      ctx.addIssue({ code: 'custom', path: ['targets', i, 'minReplicas'], message: `minReplicas (${t.minReplicas}) is above maxReplicas (${t.maxReplicas})` });
    if (!(t.load.source in cfg.sources))
      ctx.addIssue({
        code: 'custom',
        path: ['targets', i, 'load', 'source'],
        message: `unknown source "${t.load.source}" (configured: ${Object.keys(cfg.sources).join(', ') || 'none'})`,
      });
    if (!(t.region in cfg.wedding.peakSeason.regions))
      ctx.addIssue({ code: 'custom', path: ['targets', i, 'region'], message: `unknown region "${t.region}" (wedding.peakSeason.regions has ${Object.keys(cfg.wedding.peakSeason.regions).join(', ')})` });
  });
}

function agentRules(cfg: AgentConfigInput, ctx: z.RefinementCtx): void {
  const { tickSeconds, tickTimeoutSeconds } = cfg.agent;
  if (tickTimeoutSeconds !== undefined && tickTimeoutSeconds > tickSeconds)
    ctx.addIssue({ code: 'custom', path: ['agent', 'tickTimeoutSeconds'], message: `(${tickTimeoutSeconds}) is longer than agent.tickSeconds (${tickSeconds}): a target's work must end before the next tick starts` });
  for (const [name, src] of Object.entries(cfg.sources))
    if ('staleAfterSeconds' in src && src.staleAfterSeconds < tickSeconds)
      ctx.addIssue({ code: 'custom', path: ['sources', name, 'staleAfterSeconds'], message: `(${src.staleAfterSeconds}) is shorter than agent.tickSeconds (${tickSeconds}): every reading would be stale by the next tick, and the agent would hold for ever` });
  if (cfg.kubernetes.connection === 'kubeconfig' && !cfg.kubernetes.kubeconfig)
    ctx.addIssue({ code: 'custom', path: ['kubernetes', 'kubeconfig'], message: 'is required when connection is "kubeconfig"' });
  const k = cfg.kubernetes;
  if (k.renewDeadlineSeconds !== undefined && k.renewDeadlineSeconds >= k.leaseDurationSeconds)
    ctx.addIssue({ code: 'custom', path: ['kubernetes', 'renewDeadlineSeconds'], message: `must be below leaseDurationSeconds (${k.leaseDurationSeconds}) so a stalled leader stops before its Lease can be taken` });
  if (k.deployFreeze && k.connection === 'none')
    ctx.addIssue({ code: 'custom', path: ['kubernetes', 'deployFreeze'], message: 'needs a Kubernetes connection (kubernetes.connection is "none"): nothing would keep the freeze ConfigMap' });
  if (k.deployFreeze && k.deployFreeze.heartbeatSeconds < 3 * cfg.agent.tickSeconds)
    ctx.addIssue({ code: 'custom', path: ['kubernetes', 'deployFreeze', 'heartbeatSeconds'], message: `must be at least 3 × agent.tickSeconds (${cfg.agent.tickSeconds} s): the leader refreshes it on a tick once half of it is spent, and must get there before it runs out` });
  if (cfg.agent.mode === 'act' && cfg.kubernetes.connection === 'none')
    ctx.addIssue({ code: 'custom', path: ['agent', 'mode'], message: 'mode "act" needs a Kubernetes connection (kubernetes.connection is "none")' });
}

export type AgentConfig = z.infer<typeof configSchema>;

/**
 * Valid but worth a word: settings that switch a wedding protection off. `validate` prints them and the
 * agent logs them at start, so such a config is never a silent accident.
 */
export function configWarnings(cfg: AgentConfig): Array<{ path: string; message: string }> {
  const out: Array<{ path: string; message: string }> = [];
  if (cfg.state.directory !== undefined && cfg.kubernetes.connection !== 'none')
    out.push({ path: 'state.directory', message: `is not used with a Kubernetes connection: state is kept in ConfigMap ${cfg.kubernetes.leaseNamespace}/${cfg.state.configMap}` });
  if (cfg.wedding.protectedWeekdays.length === 0)
    out.push({ path: 'wedding.protectedWeekdays', message: 'is empty: Saturday protection and the deploy freeze are off for every wedding' });
  return out;
}
export type TargetConfig = z.infer<typeof targetSchema>;
export type WeddingRules = z.infer<typeof weddingRulesSchema>;
export type PlanPolicy = z.infer<typeof policySchema>;
export type ApiConfig = z.infer<typeof apiSchema>;
export type CalendarSourceConfig = z.infer<typeof calendarSource>;
export type Role = ApiConfig['tokens'][number]['role'];
