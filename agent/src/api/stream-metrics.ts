/** The stream's own metrics: subscribers now, events sent, subscribers cut off for not reading. */
import { Counter, Gauge, type Registry } from 'prom-client';
import { METRIC } from '../metrics/names';
import type { StreamHub } from './stream-hub';

export function registerStreamMetrics(registry: Registry, hub: StreamHub): void {
  const registers = [registry];
  new Gauge({
    name: METRIC.streamSubscribers,
    help: 'Clients subscribed to GET /api/v1/stream now.',
    registers,
    collect() {
      this.set(hub.size);
    },
  });
  let events = 0;
  let dropped = 0;
  new Counter({
    name: METRIC.streamEventsTotal,
    help: 'Events published on GET /api/v1/stream (each once, whatever the number of subscribers).',
    registers,
    collect() {
      this.inc(hub.counts.events - events);
      events = hub.counts.events;
    },
  });
  new Counter({
    name: METRIC.streamDroppedSubscribersTotal,
    help: 'Stream subscribers cut off because they stopped reading (more than the buffer limit unsent).',
    registers,
    collect() {
      this.inc(hub.counts.droppedSlow - dropped);
      dropped = hub.counts.droppedSlow;
    },
  });
}
