/**
 * The panel keeps its own copy of the API shapes (it is built and type-checked on its own). These
 * assertions fail to compile when the copy drifts: what the agent sends must fit what the panel reads,
 * and what the panel sends must fit what the agent accepts.
 */
import type * as Agent from '../../agent/src/api/contract';
import type * as Panel from '../../grafana-plugin/src/types';

type Fits<A, B> = [A] extends [B] ? true : false;
type Assert<T extends true> = T;

export type AgentResponsesFitThePanel = [
  Assert<Fits<Agent.StatusDto, Panel.StatusDto>>,
  Assert<Fits<Agent.TargetStatusDto, Panel.TargetStatusDto>>,
  Assert<Fits<Agent.DecisionDto, Panel.DecisionDto>>,
  Assert<Fits<Agent.ForecastDto, Panel.ForecastDto>>,
  Assert<Fits<Agent.CalendarWindowDto, Panel.CalendarWindowDto>>,
  Assert<Fits<Agent.OverrideDto, Panel.OverrideDto>>,
  Assert<Fits<Agent.ApiError, Panel.ApiError>>,
  Assert<Fits<Agent.CapacityPlanDto, Panel.CapacityPlanDto>>,
  Assert<Fits<Agent.CostDto, Panel.CostDto>>,
];

export type PanelRequestsFitTheAgent = [Assert<Fits<Panel.OverrideRequest, Agent.OverrideRequest>>];
