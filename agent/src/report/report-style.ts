/** What every report page shares: HTML escaping and one colour per policy (the same in every chart and table). */
import type { PolicyName } from './report-model';

export const SERIES_COLOURS: Record<PolicyName | 'demand', string> = {
  demand: '#1d2430',
  agent: '#1f6feb',
  cluster_ran: '#8c564b',
  hpa_v2: '#e8590c',
  hpa_headroom: '#d6336c',
  static_peak: '#868e96',
  oracle: '#2f9e44',
};

export const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** JSON to put inside a <script> element: nothing in it can close the element or open a comment. */
export const scriptJson = (value: unknown) =>
  JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
