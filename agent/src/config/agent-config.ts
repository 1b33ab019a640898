/**
 * The whole agent config as the core sees it: every agent-wide key, with `sources` and `sinks` typed by
 * what every plug-in has (a `type`, a sink's `name`); the cross-field rules and the defaults that depend on
 * other keys. app/config-schema.ts composes the plug-ins' schemas in; `AgentConfig` is what the engine,
 * the services and the adapters read.
 */
import { isIP } from 'node:net';
import { z } from 'zod';
import { positiveSeconds } from './common';
import { apiSchema, calendarSource, policySchema, targetSchema, weddingRulesSchema } from './schema';
import { pagingConfig } from './paging-config';
import { FLEET_DEFAULTS, fleetIssues, fleetSchema } from './fleet-config';
import { checkPricingAgainstConfig, pricingSchema } from './pricing-config';

/** What the core knows of a source's config (a value of `sources`); its own schema, composed in app/, knows the rest. */
export const sourcePluginConfig = z.looseObject({ type: z.string() });
/** What the core knows of a sink's config (an entry of `sinks`). */
export const sinkPluginConfig = z.looseObject({ type: z.string(), name: z.string().optional() });

/** An IP address or a DNS host name (what server.listen accepts). */
const listenHost = z
  .string()
  .refine((h) => isIP(h) !== 0 || /^(?=.{1,253}$)[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/.test(h), {
    message: 'must be an IP address or a host name',
  });

/**
 * The agent-wide keys. `sources` and `sinks` are plug-in configs: app/config-schema.ts replaces them with
 * the registered plug-ins' schemas, then applies `checkAgentConfig` and `completeAgentConfig`.
 */
export const agentConfigObject = z
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
        listen: z
          .object({ host: listenHost.default('127.0.0.1'), port: z.number().int().min(0).max(65535).default(8080) })
          .strict()
          .default({ host: '127.0.0.1', port: 8080 }),
        logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
        /** The targets' load unit as a Grafana unit id (reqps, short, ops…): GET /status says it, the panel shows it. */
        loadUnit: z
          .string()
          .regex(/^[A-Za-z0-9_:./()-]{1,40}$/, 'a Grafana unit id such as reqps, ops or short')
          .default('reqps'),
      })
      .strict()
      .default({ cluster: 'default', mode: 'dry-run', tickSeconds: 15, listen: { host: '127.0.0.1', port: 8080 }, logLevel: 'info', loadUnit: 'reqps' }),
    sources: z.record(z.string(), sourcePluginConfig).default({}),
    calendar: z
      .object({
        sources: z.array(calendarSource).default([]),
        refreshSeconds: positiveSeconds.default(300),
        /** A calendar file or answer larger than this is refused unread (the last good one stays). */
        maxBytes: z
          .number()
          .int()
          .positive()
          .default(16 * 1024 * 1024),
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
        overridesAnnotation: z
          .string()
          .regex(/^([a-z0-9.-]+\/)?[A-Za-z0-9][-A-Za-z0-9_.]*$/, 'must be a Kubernetes annotation key')
          .default('wedsync.io/overrides'),
        /**
         * The deploy freeze in the cluster (agent/deploy/overlays/admission): the leader keeps this ConfigMap
         * (the ValidatingAdmissionPolicy's parameter) current, and every replica watches the targets for
         * break glass. Absent: neither.
         */
        deployFreeze: z
          .object({
            configMap: z
              .string()
              .regex(/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/, 'must be a ConfigMap name')
              .default('wedsync-deploy-freeze'),
            /** Default: leaseNamespace (the agent's own namespace). */
            namespace: z.string().min(1).optional(),
            /** How long a written freeze holds without the agent: past it, the policy lets deploys through. */
            heartbeatSeconds: z.number().min(30).max(3600).default(120),
          })
          .strict()
          .optional(),
      })
      .strict()
      .default({
        connection: 'none',
        leaseName: 'wedsync-agent',
        leaseNamespace: 'wedsync',
        leaseDurationSeconds: 15,
        overridesAnnotation: 'wedsync.io/overrides',
      }),
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
        configMap: z
          .string()
          .regex(/^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/, 'must be a Kubernetes object name')
          .default('wedsync-agent-state'),
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
        horizonHours: z
          .number()
          .min(1)
          .max(24 * 14)
          .default(48),
        stepSeconds: positiveSeconds.default(60),
        /** History to backfill from the source at start-up (Prometheus query_range). */
        backfillHours: z
          .number()
          .min(0)
          .default(24 * 14),
      })
      .strict()
      .default({ horizonHours: 48, stepSeconds: 60, backfillHours: 24 * 14 }),
    api: apiSchema.default(apiSchema.parse({})),
    /** Thresholds and durations of the page-worthy conditions: /metrics, the alert rules and the PagerDuty sink share them. */
    paging: pagingConfig,
    sinks: z.array(sinkPluginConfig).default([]),
    /** Price table and OpenCost: cost/pricing-config.ts. */
    pricing: pricingSchema.optional(),
    targets: z.array(targetSchema).min(1),
    fleet: fleetSchema.default(FLEET_DEFAULTS),
  })
  .strict();

type ParsedConfig = z.infer<typeof agentConfigObject>;

/**
 * The cross-field rules, in the order their errors are reported. `staleAfterSeconds` answers, per source
 * config, how old a reading may get (undefined: the source has no such setting); the registry knows.
 */
export function checkAgentConfig(staleAfterSeconds: (source: ParsedConfig['sources'][string]) => number | undefined) {
  return (cfg: ParsedConfig, ctx: z.RefinementCtx): void =>
    guarded([
      () => targetRules(cfg, ctx),
      () => agentRules(cfg, ctx, staleAfterSeconds),
      () => {
        for (const issue of fleetIssues(cfg.fleet, cfg.agent.cluster)) ctx.addIssue({ code: 'custom', ...issue });
      },
      () => checkPricingAgainstConfig(cfg, ctx),
    ]);
}

/**
 * Runs each cross-field rule on its own. The composed schema runs them even when some fields failed, so
 * `validate` lists every problem in one pass; a part that failed its own schema is still raw here, and a
 * rule that cannot read its inputs says nothing (their own errors are already reported).
 */
export function guarded(rules: ReadonlyArray<() => void>): void {
  for (const rule of rules) {
    try {
      rule();
    } catch (err) {
      if (!(err instanceof TypeError)) throw err;
    }
  }
}

function targetRules(cfg: ParsedConfig, ctx: z.RefinementCtx): void {
  const seen = new Set<string>();
  cfg.targets.forEach((t, i) => {
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
      ctx.addIssue({
        code: 'custom',
        path: ['targets', i, 'region'],
        message: `unknown region "${t.region}" (wedding.peakSeason.regions has ${Object.keys(cfg.wedding.peakSeason.regions).join(', ')})`,
      });
  });
}

function agentRules(cfg: ParsedConfig, ctx: z.RefinementCtx, staleAfterSeconds: (source: ParsedConfig['sources'][string]) => number | undefined): void {
  const { tickSeconds, tickTimeoutSeconds } = cfg.agent;
  if (tickTimeoutSeconds !== undefined && tickTimeoutSeconds > tickSeconds)
    ctx.addIssue({
      code: 'custom',
      path: ['agent', 'tickTimeoutSeconds'],
      message: `(${tickTimeoutSeconds}) is longer than agent.tickSeconds (${tickSeconds}): a target's work must end before the next tick starts`,
    });
  for (const [name, src] of Object.entries(cfg.sources)) {
    const stale = staleAfterSeconds(src);
    if (stale !== undefined && stale < tickSeconds)
      ctx.addIssue({
        code: 'custom',
        path: ['sources', name, 'staleAfterSeconds'],
        message: `(${stale}) is shorter than agent.tickSeconds (${tickSeconds}): every reading would be stale by the next tick, and the agent would hold for ever`,
      });
  }
  if (cfg.kubernetes.connection === 'kubeconfig' && !cfg.kubernetes.kubeconfig)
    ctx.addIssue({ code: 'custom', path: ['kubernetes', 'kubeconfig'], message: 'is required when connection is "kubeconfig"' });
  const k = cfg.kubernetes;
  if (k.renewDeadlineSeconds !== undefined && k.renewDeadlineSeconds >= k.leaseDurationSeconds)
    ctx.addIssue({
      code: 'custom',
      path: ['kubernetes', 'renewDeadlineSeconds'],
      message: `must be below leaseDurationSeconds (${k.leaseDurationSeconds}) so a stalled leader stops before its Lease can be taken`,
    });
  if (k.deployFreeze && k.connection === 'none')
    ctx.addIssue({
      code: 'custom',
      path: ['kubernetes', 'deployFreeze'],
      message: 'needs a Kubernetes connection (kubernetes.connection is "none"): nothing would keep the freeze ConfigMap',
    });
  if (k.deployFreeze && k.deployFreeze.heartbeatSeconds < 3 * cfg.agent.tickSeconds)
    ctx.addIssue({
      code: 'custom',
      path: ['kubernetes', 'deployFreeze', 'heartbeatSeconds'],
      message: `must be at least 3 × agent.tickSeconds (${cfg.agent.tickSeconds} s): the leader refreshes it on a tick once half of it is spent, and must get there before it runs out`,
    });
  if (cfg.agent.mode === 'act' && cfg.kubernetes.connection === 'none')
    ctx.addIssue({ code: 'custom', path: ['agent', 'mode'], message: 'mode "act" needs a Kubernetes connection (kubernetes.connection is "none")' });
}

/** The defaults that depend on other keys, applied after the checks. */
export function completeAgentConfig<C extends ParsedConfig>(cfg: C) {
  return {
    ...cfg,
    // Unset, the tick timeout is 10 s, or the tick itself when that is shorter: work never overlaps the next tick.
    agent: { ...cfg.agent, tickTimeoutSeconds: cfg.agent.tickTimeoutSeconds ?? Math.min(10, cfg.agent.tickSeconds) },
    // The price table row defaults to the cluster's configured identity (checked above).
    pricing:
      cfg.pricing &&
      cfg.pricing.provider === undefined &&
      cfg.pricing.region === undefined &&
      cfg.agent.provider !== undefined &&
      cfg.agent.region !== undefined
        ? { ...cfg.pricing, provider: cfg.agent.provider, region: cfg.agent.region }
        : cfg.pricing,
  };
}

/** A validated config as the core sees it (sources and sinks by type only); app/config-schema.ts has the composed type. */
export type AgentConfig = ReturnType<typeof completeAgentConfig<ParsedConfig>>;

/**
 * Valid but worth a word: settings that switch a wedding protection off. `validate` prints them and the
 * agent logs them at start, so such a config is never a silent accident.
 */
export function configWarnings(cfg: AgentConfig): Array<{ path: string; message: string }> {
  const out: Array<{ path: string; message: string }> = [];
  if (cfg.state.directory !== undefined && cfg.kubernetes.connection !== 'none')
    out.push({
      path: 'state.directory',
      message: `is not used with a Kubernetes connection: state is kept in ConfigMap ${cfg.kubernetes.leaseNamespace}/${cfg.state.configMap}`,
    });
  if (cfg.wedding.protectedWeekdays.length === 0)
    out.push({ path: 'wedding.protectedWeekdays', message: 'is empty: Saturday protection and the deploy freeze are off for every wedding' });
  return out;
}
