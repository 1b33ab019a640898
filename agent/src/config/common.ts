/** Zod pieces the agent's schema and the plug-ins' schemas share. */
import { z } from 'zod';
import { IANAZone } from 'luxon';

export const timeZone = z.string().refine((tz) => IANAZone.isValidZone(tz), { message: 'is not an IANA time zone (e.g. "Europe/London")' });

export const positiveSeconds = z.number().positive();

/** A name used as a label value and in URLs: lower-case letters, digits and dashes. */
export const dnsLabel = z.string().regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, 'must be lower-case letters, digits and dashes');
