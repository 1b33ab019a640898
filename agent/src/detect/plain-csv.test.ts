import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { plainCsvRecords } from './plain-csv';

/** csv-parse with series-csv.ts's options: the reader the fast path must agree with. */
function parsed(text: string): Array<{ cells: string[]; rowNo: number }> {
  const records = parse(text, {
    delimiter: ',',
    info: true,
    relax_column_count: true,
    relax_quotes: true,
    skip_empty_lines: true,
    trim: true,
  }) as unknown as Array<{ record: string[]; info: { lines: number } }>;
  return records.map((r) => ({ cells: r.record, rowNo: r.info.lines }));
}

describe('plainCsvRecords', () => {
  it.each([
    ['a header and rows', 'timestamp,value\n2027-05-01T00:00:00Z,1.5\n2027-05-01T00:01:00Z,2\n'],
    ['no final newline', 'timestamp,value\n2027-05-01 00:00,1'],
    ['empty and space-only lines, spaces around fields', 'a,b\n\n1,2\n   \n 3 , 4 \n\n\n5\n'],
    ['ragged rows and empty fields', 'a,b\n1,2,3\n,\n4\n, ,\n'],
    ['leading empty lines', '\n\na,b\n1,2'],
    ['only a header', 'a,b'],
    ['nothing', ''],
  ])('reads %s as csv-parse does (cells and row numbers)', (_name, text) => {
    expect(plainCsvRecords(text)).toEqual(parsed(text));
  });

  it('reads the demo trace as csv-parse does', () => {
    const text = readFileSync(join(__dirname, '../../demo/trace/trace.csv'), 'utf8');
    const records = plainCsvRecords(text);
    expect(records).not.toBeNull();
    expect(records).toEqual(parsed(text));
  });

  it.each([
    ['quotes', '"Time","Value"\n1,2\n'],
    ['CRLF', 'a,b\r\n1,2\r\n'],
    ['a tab', 'a,b\n1,\t2\n'],
    ['non-ASCII', 'a,b\n1,2\u00a0\n'],
  ])('leaves text with %s to the real parser', (_name, text) => {
    expect(plainCsvRecords(text)).toBeNull();
  });
});
