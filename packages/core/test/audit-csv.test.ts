// Issue 15 "Audit page": the CSV export is read in spreadsheets, and agent names, reasons and
// details are text other people chose. Each cell must stay one cell and never run as a formula.
import type { AuditEvent } from '@agent-otp/shared';
import { describe, expect, it } from 'vitest';
import { AUDIT_CSV_COLUMNS, auditEventsCsv, csvCell } from '../src/audit/audit-csv.js';

describe('csvCell', () => {
  it('leaves plain text and numbers alone, and writes nothing for null', () => {
    expect(csvCell('otp.approved')).toBe('otp.approved');
    expect(csvCell(42)).toBe('42');
    expect(csvCell(null)).toBe('');
  });

  it('quotes a comma, a quote or a line break, doubling quotes', () => {
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('two\nlines')).toBe('"two\nlines"');
    expect(csvCell('cr\rlf')).toBe('"cr\rlf"');
  });

  it.each(['=1+1', '+1', '-1', '@SUM(A1)', '\tx', '\rx'])('makes %j text, not a formula', (value) => {
    const cell = csvCell(value);
    const unquoted = cell.startsWith('"') ? cell.slice(1, -1).replaceAll('""', '"') : cell;
    expect(unquoted).toBe(`'${value}`);
  });

  it('guards a formula that also needs quoting', () => {
    expect(csvCell('=HYPERLINK("http://evil.example","x")')).toBe(
      `"'=HYPERLINK(""http://evil.example"",""x"")"`,
    );
  });
});

describe('auditEventsCsv', () => {
  const event: AuditEvent = {
    id: 'evt_1',
    seq: 7,
    at: '2026-11-22T13:05:41.000Z',
    actorType: 'agent',
    actorId: 'agt_1',
    channel: 'api',
    action: 'otp.requested',
    targetId: 'otp_1',
    details: { actor: '-deploy bot', reason: 'sign in, "now"' },
    hash: 'ab',
  };

  it('writes a header and one line per event, CRLF-ended, details as one JSON cell', () => {
    const lines = auditEventsCsv([event]).split('\r\n');
    expect(lines[0]).toBe(AUDIT_CSV_COLUMNS.join(','));
    expect(lines[1]).toBe(
      `7,2026-11-22T13:05:41.000Z,otp.requested,agent,agt_1,'-deploy bot,api,otp_1,"{""reason"":""sign in, \\""now\\""""}",ab`,
    );
    expect(lines[2]).toBe('');
    expect(lines).toHaveLength(3);
  });
});
