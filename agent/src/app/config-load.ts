/**
 * Loading the config: YAML → environment references → schema. The only place config is read, so every
 * later piece may trust what it is handed. All problems are collected and reported together, each with
 * the file and the key path, because fixing one error per run is a miserable way to learn a config.
 */
import { readFileSync } from 'node:fs';
import { resolve, dirname } from 'node:path';
import { ConfigError, formatProblem, type ConfigProblem } from '../config/config-error';
import { configSchema, SECRET_KEYS, type ComposedConfig } from './config-schema';

export { ConfigError, formatProblem, type ConfigProblem };

export interface LoadedConfig {
  config: ComposedConfig;
  file: string;
  /** Folder of the config file; relative paths inside the config resolve against it. */
  baseDir: string;
}

const ENV_REF = /\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g;
/** A header (under a `headers` map) whose name says it carries a credential: its value must come from the environment. */
const CREDENTIAL_HEADER = /authorization|cookie|token|key|secret|password|auth/i;
const WHOLE_ENV_REF = /^\$\{[A-Za-z_][A-Za-z0-9_]*\}$/;

function pathToString(path: ReadonlyArray<PropertyKey>): string {
  return path.map((k, i) => (typeof k === 'number' ? `[${k}]` : `${i ? '.' : ''}${String(k)}`)).join('');
}

/** Replaces `${VAR}` in every string; refuses inline secrets and names missing variables. */
export function resolveEnv(raw: unknown, env: Record<string, string | undefined>, file: string): { value: unknown; problems: ConfigProblem[] } {
  const problems: ConfigProblem[] = [];
  const walk = (node: unknown, path: PropertyKey[]): unknown => {
    if (typeof node === 'string') {
      const key = path[path.length - 1];
      const inHeaders = path[path.length - 2] === 'headers' && typeof key === 'string' && CREDENTIAL_HEADER.test(key);
      if (typeof key === 'string' && (SECRET_KEYS.has(key) || inHeaders) && !WHOLE_ENV_REF.test(node)) {
        problems.push({
          file,
          path: pathToString(path),
          message: 'is a secret: write an environment reference such as "${DD_API_KEY}", never the value itself',
        });
        return node;
      }
      return node.replace(ENV_REF, (_m, name: string) => {
        const v = env[name];
        if (v === undefined || v === '') {
          problems.push({ file, path: pathToString(path), message: `environment variable ${name} is not set` });
          return '';
        }
        return v;
      });
    }
    if (Array.isArray(node)) return node.map((v, i) => walk(v, [...path, i]));
    if (node && typeof node === 'object') {
      return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, walk(v, [...path, k])]));
    }
    return node;
  };
  return { value: walk(raw, []), problems };
}

/** Parses and validates config text; throws ConfigError listing every problem. */
export function parseConfig(text: string, file: string, env: Record<string, string | undefined> = process.env): ComposedConfig {
  // Loaded here, not with this module: a replay without --config reads no YAML (the parser is ~0.05 s of its start-up).
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- lazy loading (above), typed by its module
  const { parseDocument } = require('yaml') as typeof import('yaml');
  const doc = parseDocument(text, { prettyErrors: true });
  if (doc.errors.length) {
    throw new ConfigError(doc.errors.map((e) => ({ file, path: '', message: `YAML: ${e.message.split('\n')[0]}` })));
  }
  const raw: unknown = doc.toJS() ?? {};
  const { value, problems } = resolveEnv(raw, env, file);
  const result = configSchema.safeParse(value);
  if (!result.success) {
    // A key already reported (missing variable, inline secret) is not reported twice.
    const reported = new Set(problems.map((p) => p.path));
    for (const issue of result.error.issues) {
      const path = pathToString(issue.path);
      if (!reported.has(path)) problems.push({ file, path, message: issue.message });
    }
  }
  if (problems.length) throw new ConfigError(problems);
  return result.data as ComposedConfig;
}

export function loadConfigFile(file: string, env: Record<string, string | undefined> = process.env): LoadedConfig {
  const abs = resolve(file);
  let text: string;
  try {
    text = readFileSync(abs, 'utf8');
  } catch (err) {
    throw new ConfigError([{ file, path: '', message: `cannot read: ${(err as NodeJS.ErrnoException).code ?? String(err)}` }]);
  }
  return { config: parseConfig(text, file, env), file: abs, baseDir: dirname(abs) };
}
