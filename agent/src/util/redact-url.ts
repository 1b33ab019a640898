/**
 * URLs as they may be shown: in metric labels, GET /status, logs and error messages. A calendar URL often
 * carries its credentials (`https://user:pass@host/feed.ics?key=…`, a private-feed token in the path's
 * query); none of that may leave the process. The user info becomes `***` and every query value `***`
 * (the keys stay, so a reader still sees which URL it is). A file path is returned as it is.
 */

const REDACTED = '***';

export function redactUrl(location: string): string {
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(location)) return location;
  let url: URL;
  try {
    url = new URL(location);
  } catch {
    // Not parseable: keep the scheme and host-looking part only, never the rest.
    return location.replace(/^([a-z][a-z0-9+.-]*:\/\/)(?:[^@/?#]*@)?([^/?#]*).*$/i, `$1$2/${REDACTED}`);
  }
  const userinfo = url.username || url.password ? `${REDACTED}@` : '';
  const query = [...url.searchParams.keys()].map((k) => `${encodeURIComponent(k)}=${REDACTED}`).join('&');
  return `${url.protocol}//${userinfo}${url.host}${url.pathname}${query ? `?${query}` : ''}${url.hash ? `#${REDACTED}` : ''}`;
}

/** Every URL inside a text (an error message from fetch, a parser's message) redacted. */
export function redactUrlsIn(text: string): string {
  return text.replace(/\b[a-z][a-z0-9+.-]*:\/\/[^\s"'<>]+/gi, (u) => redactUrl(u));
}
