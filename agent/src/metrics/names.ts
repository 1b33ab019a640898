/**
 * Every metric the agent exports, in one place: dashboards, alert rules and their tests check against
 * this file. Prometheus conventions: `wedsync_agent_` prefix, base units (seconds, ratios), `_total`
 * for counters. "Load" is in the target's load unit — whatever its query returns, usually requests/s.
 */
export const METRIC = {
  // Agent
  buildInfo: 'wedsync_agent_build_info',
  leader: 'wedsync_agent_leader',
  ticksTotal: 'wedsync_agent_ticks_total',
  ticksSkippedTotal: 'wedsync_agent_ticks_skipped_total',
  tickErrorsTotal: 'wedsync_agent_tick_errors_total',
  tickDurationSeconds: 'wedsync_agent_tick_duration_seconds',
  lastTickTimestampSeconds: 'wedsync_agent_last_tick_timestamp_seconds',

  // Per target: load, forecast, replicas
  observedLoad: 'wedsync_agent_observed_load',
  forecastLoad: 'wedsync_agent_forecast_load',
  forecastLowerLoad: 'wedsync_agent_forecast_lower_load',
  forecastUpperLoad: 'wedsync_agent_forecast_upper_load',
  expectedWeddingLoad: 'wedsync_agent_expected_wedding_load',
  capacityLoad: 'wedsync_agent_capacity_load',
  utilizationRatio: 'wedsync_agent_utilization_ratio',
  loadStale: 'wedsync_agent_load_stale',
  loadLastSuccessTimestampSeconds: 'wedsync_agent_load_last_success_timestamp_seconds',
  replicasCurrent: 'wedsync_agent_replicas_current',
  replicasReady: 'wedsync_agent_replicas_ready',
  replicasDesired: 'wedsync_agent_replicas_desired',
  replicasMin: 'wedsync_agent_replicas_min',
  replicasMax: 'wedsync_agent_replicas_max',
  workloadGeneration: 'wedsync_agent_workload_generation',
  decisionsTotal: 'wedsync_agent_decisions_total',
  scaleOperationsTotal: 'wedsync_agent_scale_operations_total',
  scaleErrorsTotal: 'wedsync_agent_scale_errors_total',

  // Kubernetes actuator (leader is above); shadow mode compares with what the HPA ran
  podStartupSeconds: 'wedsync_agent_pod_startup_seconds',
  shadowClusterReplicas: 'wedsync_agent_shadow_cluster_replicas',
  shadowHeldBackTotal: 'wedsync_agent_shadow_held_back_total',
  kubernetesEventFailuresTotal: 'wedsync_agent_kubernetes_event_failures_total',
  overrideSyncFailuresTotal: 'wedsync_agent_override_sync_failures_total',
  leaderTransitionsTotal: 'wedsync_agent_leader_transitions_total',
  // API server throttling (HTTP 429) the agent respected: answers received, and time its calls waited
  kubernetesThrottledResponsesTotal: 'wedsync_agent_kubernetes_throttled_responses_total',
  kubernetesThrottleWaitSecondsTotal: 'wedsync_agent_kubernetes_throttle_wait_seconds_total',

  // The agent's durable state (overrides, audit trail, open pages: durable/)
  stateSyncFailuresTotal: 'wedsync_agent_state_sync_failures_total',
  stateWritesTotal: 'wedsync_agent_state_writes_total',
  stateDurable: 'wedsync_agent_state_durable',
  stateSetAside: 'wedsync_agent_state_set_aside',
  stateDocumentBytes: 'wedsync_agent_state_document_bytes',
  stateTrimsTotal: 'wedsync_agent_state_trims_total',

  // Wedding protections
  activeWeddings: 'wedsync_agent_active_weddings',
  calendarWeddings: 'wedsync_agent_calendar_weddings',
  calendarSourceUp: 'wedsync_agent_calendar_source_up',
  calendarLastSuccessTimestampSeconds: 'wedsync_agent_calendar_last_success_timestamp_seconds',
  calendarUpdateHeld: 'wedsync_agent_calendar_update_held',
  calendarEventsSkipped: 'wedsync_agent_calendar_events_skipped',
  calendarUpcomingWeddings: 'wedsync_agent_calendar_upcoming_weddings',
  protectionActive: 'wedsync_agent_protection_active',
  deployFreeze: 'wedsync_agent_deploy_freeze',
  deployFreezeUntilTimestampSeconds: 'wedsync_agent_deploy_freeze_until_timestamp_seconds',
  // The deploy freeze in the cluster (kubernetes.deployFreeze): the admission parameter's heartbeat, break glass
  deployFreezeParamsExpiryTimestampSeconds: 'wedsync_agent_deploy_freeze_params_expiry_timestamp_seconds',
  deployFreezeParamsWriteFailuresTotal: 'wedsync_agent_deploy_freeze_params_write_failures_total',
  breakGlassTotal: 'wedsync_agent_break_glass_total',
  peakSeason: 'wedsync_agent_peak_season',
  overridesActive: 'wedsync_agent_overrides_active',

  // Cost: in the pricing currency (GET /status says which), absent while the price is unknown
  costPerHour: 'wedsync_agent_cost_per_hour',
  costPerReplicaHour: 'wedsync_agent_cost_per_replica_hour',

  // Detection and prediction
  anomalyScore: 'wedsync_agent_anomaly_score',
  anomaliesTotal: 'wedsync_agent_anomalies_total',
  forecastColdStart: 'wedsync_agent_forecast_cold_start',

  // Sources
  sourceRequestsTotal: 'wedsync_agent_source_requests_total',
  sourceRequestDurationSeconds: 'wedsync_agent_source_request_duration_seconds',

  // Sinks
  sinkExportedSamplesTotal: 'wedsync_agent_sink_exported_samples_total',
  sinkFailedExportsTotal: 'wedsync_agent_sink_failed_exports_total',
  sinkDroppedSamplesTotal: 'wedsync_agent_sink_dropped_samples_total',
  sinkQueueLength: 'wedsync_agent_sink_queue_length',
  sinkExportDurationSeconds: 'wedsync_agent_sink_export_duration_seconds',
  sinkUp: 'wedsync_agent_sink_up',
  pagesTotal: 'wedsync_agent_pages_total',

  // Paging (paging/definitions.ts): one truth for the alert rules and the PagerDuty sink
  pageCondition: 'wedsync_agent_page_condition',
  pageDelivered: 'wedsync_agent_page_delivered',
  pageHandOffsTotal: 'wedsync_agent_page_hand_offs_total',

  // API
  apiRequestsTotal: 'wedsync_agent_api_requests_total',
  apiRequestDurationSeconds: 'wedsync_agent_api_request_duration_seconds',
  ingestedSamplesTotal: 'wedsync_agent_ingested_samples_total',
  ingestPointsRejectedTotal: 'wedsync_agent_ingest_points_rejected_total',
  auditEventsTotal: 'wedsync_agent_audit_events_total',
  streamSubscribers: 'wedsync_agent_stream_subscribers',
  streamEventsTotal: 'wedsync_agent_stream_events_total',
  streamDroppedSubscribersTotal: 'wedsync_agent_stream_dropped_subscribers_total',

  // Fleet: identity and peer clusters (fleet/, identity/)
  info: 'wedsync_agent_info',
  peerUp: 'wedsync_agent_peer_up',
  peerLost: 'wedsync_agent_peer_lost',
  fleetDataOk: 'wedsync_agent_fleet_data_ok',
} as const;

export type MetricName = (typeof METRIC)[keyof typeof METRIC];
