import { datadogErrorText } from './datadog-errors';

describe('datadogErrorText', () => {
  it.each<[number, string, string]>([
    [503, '{"errors":["overloaded"]}', 'Service Unavailable (overloaded)'],
    [502, '<html>\n<h1>Bad   gateway</h1></html>', 'Bad Gateway (<html> <h1>Bad gateway</h1></html>)'],
    [503, '', 'Service Unavailable'],
    [400, '{"errors":["Payload is not in the expected format","bad tag"]}', 'Bad Request (Payload is not in the expected format; bad tag)'],
    [403, '{"status":"forbidden"}', 'Forbidden ({"status":"forbidden"})'],
    [429, 'Too Many Requests', 'Too Many Requests'],
    [599, 'x'.repeat(500), `unexpected status (${'x'.repeat(200)})`],
  ])('%d %j → %s', (status, body, text) => {
    expect(datadogErrorText(status, body)).toBe(text);
  });
});
