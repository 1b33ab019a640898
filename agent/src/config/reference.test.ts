/** The config reference in agent/README.md documents every key the schema accepts. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { configSchema } from '../app/config-schema';

type JsonSchema = {
  properties?: Record<string, JsonSchema>;
  items?: JsonSchema | JsonSchema[];
  additionalProperties?: JsonSchema | boolean;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  prefixItems?: JsonSchema[];
};

function keyNames(schema: JsonSchema, out = new Set<string>()): Set<string> {
  for (const [name, sub] of Object.entries(schema.properties ?? {})) {
    out.add(name);
    keyNames(sub, out);
  }
  for (const sub of [...(schema.anyOf ?? []), ...(schema.oneOf ?? []), ...(schema.allOf ?? []), ...(schema.prefixItems ?? [])]) keyNames(sub, out);
  if (schema.items && !Array.isArray(schema.items)) keyNames(schema.items, out);
  if (schema.additionalProperties && typeof schema.additionalProperties === 'object') keyNames(schema.additionalProperties, out);
  return out;
}

describe('config reference (agent/README.md)', () => {
  const readme = readFileSync(join(__dirname, '..', '..', 'README.md'), 'utf8');
  const codeSpans = [...readme.matchAll(/`([^`\n]+)`/g)].map((m) => m[1]);
  const keys = [...keyNames(z.toJSONSchema(configSchema, { io: 'input', unrepresentable: 'any' }) as JsonSchema)];

  it('finds the schema keys', () => {
    expect(keys).toEqual(expect.arrayContaining(['agent', 'tickSeconds', 'capacityPerPod', 'routingKey', 'phases']));
  });

  it.each(keys)('documents `%s`', (key) => {
    const mentioned = codeSpans.some((span) => new RegExp(`(^|[^A-Za-z0-9])${key}([^A-Za-z0-9]|$)`).test(span));
    expect(mentioned ? key : `${key} is not documented in agent/README.md`).toBe(key);
  });
});
