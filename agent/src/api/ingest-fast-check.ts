/**
 * A hand-written check that says yes to exactly the bodies `ingestRequestSchema` accepts, about 10×
 * faster on the common case (thousands of well-formed points per request). Ingest runs it first and
 * falls back to the zod schema only when it says no — to produce the field-level 400. A property test
 * (ingest-fast-check.test.ts) holds the two to the same verdict on random and mutated bodies.
 */
import type { IngestRequest } from './contract';

const MAX_TIME_MS = 8.64e15;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function onlyKeys(o: Record<string, unknown>, allowed: readonly string[]): boolean {
  for (const k in o) if (Object.prototype.hasOwnProperty.call(o, k) && !allowed.includes(k)) return false;
  return true;
}

function validLabels(v: unknown): boolean {
  if (!isObject(v)) return false;
  for (const k of Object.keys(v)) {
    const s = v[k];
    if (k.length > 128 || typeof s !== 'string' || s.length > 512) return false;
  }
  return true;
}

function validPoints(v: unknown): boolean {
  if (!Array.isArray(v)) return false;
  for (let i = 0; i < v.length; i++) {
    const p: unknown = v[i];
    if (!Array.isArray(p) || p.length !== 2) return false;
    const t: unknown = p[0];
    const x: unknown = p[1];
    if (typeof t !== 'number' || !Number.isSafeInteger(t) || t < 0 || t > MAX_TIME_MS) return false;
    if (typeof x !== 'number' || !Number.isFinite(x)) return false;
  }
  return true;
}

export function isValidIngestBody(body: unknown): body is IngestRequest {
  if (!isObject(body) || !onlyKeys(body, ['series']) || !Array.isArray(body.series)) return false;
  for (const s of body.series as unknown[]) {
    if (!isObject(s) || !onlyKeys(s, ['name', 'labels', 'points'])) return false;
    if (typeof s.name !== 'string' || s.name.length < 1 || s.name.length > 512) return false;
    if ('labels' in s && s.labels !== undefined && !validLabels(s.labels)) return false;
    if (!validPoints(s.points)) return false;
  }
  return true;
}
