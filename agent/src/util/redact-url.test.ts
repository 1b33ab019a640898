import { redactUrl, redactUrlsIn } from './redact-url';

describe('redactUrl', () => {
  it.each([
    ['https://user:pass@cal.example/f.ics?key=s3cret&x=1', 'https://***@cal.example/f.ics?key=***&x=***'],
    ['https://cal.example/private/f.ics', 'https://cal.example/private/f.ics'],
    ['https://token@cal.example/f.ics#frag', 'https://***@cal.example/f.ics#***'],
    ['calendars/weddings.ics', 'calendars/weddings.ics'],
    ['http://us er:pa ss@[bad/f?k=v', 'http://[bad/***'],
  ])('%s → %s', (input, shown) => {
    expect(redactUrl(input)).toBe(shown);
  });
  it('redacts every URL inside a message', () => {
    expect(redactUrlsIn('GET https://a:b@h/x?k=v failed; retry http://h2/y')).toBe('GET https://***@h/x?k=*** failed; retry http://h2/y');
  });
});
