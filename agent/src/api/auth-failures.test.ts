import { AuthFailureLimiter } from './auth-failures';
import { ManualClock } from '../util/clock';

describe('AuthFailureLimiter', () => {
  it('blocks an address after `limit` failures within its minute, others not', () => {
    const clock = new ManualClock(0);
    const l = new AuthFailureLimiter(3, clock.now);
    for (let i = 0; i < 3; i++) {
      expect(l.blockedFor('a')).toBeNull();
      l.recordFailure('a');
    }
    expect(l.blockedFor('a')).toBe(60);
    expect(l.blockedFor('b')).toBeNull();
    clock.advance(59_500);
    expect(l.blockedFor('a')).toBe(1);
    clock.advance(500);
    expect(l.blockedFor('a')).toBeNull();
    l.recordFailure('a');
    expect(l.blockedFor('a')).toBeNull();
  });

  it('forgets the oldest address when the table is full', () => {
    const l = new AuthFailureLimiter(1, () => 0, 2);
    l.recordFailure('a');
    l.recordFailure('b');
    l.recordFailure('c');
    expect(l.blockedFor('a')).toBeNull();
    expect(l.blockedFor('b')).toBe(60);
    expect(l.blockedFor('c')).toBe(60);
  });
});
