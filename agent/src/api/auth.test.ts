import { hasRole, parseEnvTokens, sha256Hex, TokenAuthenticator } from './auth';

describe('parseEnvTokens (WEDSYNC_API_TOKENS)', () => {
  it('parses role:token pairs, hashing the tokens and naming them per role', () => {
    const got = parseEnvTokens(' viewer:aaaaaaaaaaaaaaaa , operator:bbbbbbbbbbbbbbbb,operator:cccccccccccccccc,');
    expect(got).toEqual([
      { name: 'env-viewer-1', role: 'viewer', sha256: sha256Hex('aaaaaaaaaaaaaaaa') },
      { name: 'env-operator-1', role: 'operator', sha256: sha256Hex('bbbbbbbbbbbbbbbb') },
      { name: 'env-operator-2', role: 'operator', sha256: sha256Hex('cccccccccccccccc') },
    ]);
    expect(parseEnvTokens(undefined)).toEqual([]);
    expect(parseEnvTokens('  ')).toEqual([]);
  });

  it.each([
    ['viewer', /entry 1: expected "role:token"/],
    ['root:aaaaaaaaaaaaaaaaaaaa', /entry 1: unknown role "root"/],
    ['viewer:aaaaaaaaaaaaaaaa,admin:short-secret', /entry 2: the token must be at least 16 characters/],
  ])('refuses %s, naming the entry but never the token', (value, message) => {
    expect(() => parseEnvTokens(value)).toThrow(message);
    try {
      parseEnvTokens(value);
    } catch (err) {
      expect((err as Error).message).not.toContain('short-secret');
      expect((err as Error).message).not.toContain('aaaaaaaaaaaaaaaa');
    }
  });
});

describe('TokenAuthenticator', () => {
  const auth = new TokenAuthenticator([
    { name: 'grafana', role: 'viewer', sha256: sha256Hex('grafana-token-1234567') },
    { name: 'ops', role: 'operator', sha256: sha256Hex('ops-token-12345678901') },
  ]);

  it.each([
    ['Bearer grafana-token-1234567', 'grafana'],
    ['bearer ops-token-12345678901', 'ops'],
    ['Bearer ops-token-12345678901 ', 'ops'],
    ['Bearer ops-token-1234567890', null],
    ['Bearer', null],
    ['ops-token-12345678901', null],
    ['Basic b3BzOnRva2Vu', null],
    ['', null],
    [undefined, null],
  ])('%j → %s', (header, name) => {
    expect(auth.authenticate(header)?.name ?? null).toBe(name);
  });

  it('orders roles viewer < coordinator < operator < admin', () => {
    expect(hasRole({ name: 'a', role: 'admin' }, 'operator')).toBe(true);
    expect(hasRole({ name: 'c', role: 'coordinator' }, 'operator')).toBe(false);
    expect(hasRole({ name: 'c', role: 'coordinator' }, 'viewer')).toBe(true);
  });
});
