import { datadogErrorText } from './datadog-errors';

describe('datadogErrorText', () => {
  it.each<[number, unknown, string]>([
    [503, 'Unknown API Status Code!\nBody: "{"errors":["overloaded"]}"', 'Service Unavailable (overloaded)'],
    [502, 'Unknown API Status Code!\nBody: "<html>\n<h1>Bad   gateway</h1></html>"', 'Bad Gateway (<html> <h1>Bad gateway</h1></html>)'],
    [503, 'Unknown API Status Code!\nBody: ""', 'Service Unavailable'],
    [400, { errors: ['Payload is not in the expected format', 'bad tag'] }, 'Bad Request (Payload is not in the expected format; bad tag)'],
    [403, { status: 'forbidden' }, 'Forbidden ({"status":"forbidden"})'],
    [429, undefined, 'Too Many Requests'],
    [599, 'x'.repeat(500), `unexpected status (${'x'.repeat(200)})`],
  ])('%d %j → %s', (status, body, text) => {
    expect(datadogErrorText(status, body)).toBe(text);
  });
});
