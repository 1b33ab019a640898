import { FieldType, toDataFrame } from '@grafana/data';
import { extractSeries } from './frames';
import { promFrame } from '../__fixtures__/panelFixtures';

describe('extractSeries', () => {
  it('sorts frames into targets and roles by their __name__ label', () => {
    const out = extractSeries([
      promFrame('wedsync_agent_observed_load', 'api', [1, 2, 3]),
      promFrame('wedsync_agent_forecast_lower_load', 'api', [0.5, 1, 2]),
      promFrame('wedsync_agent_replicas_desired', 'photos', [4]),
    ]);
    expect([...out.byTarget.keys()].sort()).toEqual(['api', 'photos']);
    expect(out.byTarget.get('api')!.observed.map((p) => p.v)).toEqual([1, 2, 3]);
    expect(out.byTarget.get('api')!.lower.map((p) => p.v)).toEqual([0.5, 1, 2]);
    expect(out.byTarget.get('api')!.forecast).toEqual([]); // lower_load is not read as forecast_load
    expect(out.byTarget.get('photos')!.desired.map((p) => p.v)).toEqual([4]);
    expect(out.missingRoles).toEqual(['forecast', 'upper', 'current', 'anomaly']);
  });

  it('falls back to the refId when a PromQL function dropped the metric name', () => {
    const out = extractSeries([promFrame('ignored', 'api', [5, 6], { refId: 'observed', keepName: false })]);
    expect(out.byTarget.get('api')!.observed.map((p) => p.v)).toEqual([5, 6]);
  });

  it('reads the metric from the frame name (legend format) when labels lack it', () => {
    const frame = promFrame('x', 'api', [7], { keepName: false });
    frame.name = 'wedsync_agent_forecast_upper_load{target="api"}';
    expect(
      extractSeries([frame])
        .byTarget.get('api')!
        .upper.map((p) => p.v),
    ).toEqual([7]);
  });

  it('gives unlabelled series to the only target and skips gaps and non-numbers', () => {
    const unlabelled = toDataFrame({
      refId: 'anomaly',
      fields: [
        { name: 'Time', type: FieldType.time, values: [1, 2, 3] },
        { name: 'Value', type: FieldType.number, values: [0.1, null, NaN] },
      ],
    });
    const out = extractSeries([promFrame('wedsync_agent_observed_load', 'api', [1]), unlabelled]);
    expect([...out.byTarget.keys()]).toEqual(['api']);
    expect(out.byTarget.get('api')!.anomaly).toEqual([{ t: 1, v: 0.1 }]);
  });

  it('reports frames it does not recognise instead of guessing', () => {
    const out = extractSeries([promFrame('node_cpu_seconds_total', 'api', [1], { refId: 'B' })]);
    expect(out.byTarget.size).toBe(0);
    expect(out.unrecognised).toHaveLength(1);
    expect(out.missingRoles).toHaveLength(7);
  });
});
