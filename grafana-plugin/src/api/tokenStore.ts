/**
 * The operator's bearer token, kept for the browser session only (sessionStorage, keyed by agent URL):
 * never in panel options, never in dashboard JSON, gone when the tab closes.
 */
const PREFIX = 'wedsync-agent-token:';

export interface TokenStore {
  get(): string | null;
  set(token: string): void;
  clear(): void;
}

export function sessionTokenStore(agentUrl: string, storage: Storage | null = safeSessionStorage()): TokenStore {
  const key = PREFIX + agentUrl.trim().replace(/\/+$/, '');
  let memory: string | null = null; // fallback when storage is blocked (private mode, sandboxed iframe)
  return {
    get: () => (storage ? storage.getItem(key) : memory),
    set: (token) => {
      const t = token.trim();
      if (storage) {storage.setItem(key, t);}
      else {memory = t;}
    },
    clear: () => {
      if (storage) {storage.removeItem(key);}
      memory = null;
    },
  };
}

function safeSessionStorage(): Storage | null {
  try {
    return typeof window !== 'undefined' ? window.sessionStorage : null;
  } catch {
    return null;
  }
}
