import { sessionTokenStore } from './tokenStore';

describe('sessionTokenStore', () => {
  beforeEach(() => {
    sessionStorage.clear();
    localStorage.clear();
  });

  it('keeps the token in sessionStorage per agent URL, never in localStorage', () => {
    const a = sessionTokenStore('http://agent-a/');
    const b = sessionTokenStore('http://agent-b');
    a.set('  tok-a ');
    expect(a.get()).toBe('tok-a');
    expect(sessionTokenStore('http://agent-a').get()).toBe('tok-a'); // trailing slash does not matter
    expect(b.get()).toBeNull();
    expect(localStorage.length).toBe(0);
    a.clear();
    expect(sessionStorage.length).toBe(0);
  });

  it('falls back to memory when storage is unavailable', () => {
    const s = sessionTokenStore('http://agent', null);
    s.set('t');
    expect(s.get()).toBe('t');
    expect(sessionStorage.length).toBe(0);
  });
});
