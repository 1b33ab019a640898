/** Config pieces every queued sink shares; each sink's own schema sits in its file and uses these. */
import { z } from 'zod';
import { dnsLabel, positiveSeconds } from '../config/common';

/** A name for /status and metrics, the queue bound, batching, a timeout. */
export const sinkName = dnsLabel.optional();
export const maxQueue = (d: number) => z.number().int().positive().default(d);
export const maxBatch = (d: number) => z.number().int().positive().default(d);
export const requestTimeoutSeconds = positiveSeconds.default(10);
