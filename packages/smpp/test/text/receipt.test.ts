import { describe, expect, it } from 'vitest';
import {
  formatReceipt,
  MessageState,
  messageStateForStat,
  parseReceipt,
  ReceiptStat,
  type ReceiptStatWord,
  statForMessageState,
} from '../../src/text/index.ts';

const submitDate = new Date('2026-11-25T15:04:59Z');
const doneDate = new Date('2026-11-25T15:05:30Z');

describe('formatReceipt', () => {
  it('writes the SMPP 3.4 Appendix B layout exactly', () => {
    expect(
      formatReceipt({
        id: '0123456789',
        sub: 1,
        dlvrd: 1,
        submitDate,
        doneDate,
        stat: 'DELIVRD',
        err: 0,
        text: 'Hello world, this is a long text',
      }),
    ).toBe(
      'id:0123456789 sub:001 dlvrd:001 submit date:2611251504 done date:2611251505 stat:DELIVRD err:000 text:Hello world, this is',
    );
  });

  it('fills defaults: one part submitted, delivered only when DELIVRD, error 0, empty text', () => {
    expect(formatReceipt({ id: 'a1', submitDate, doneDate, stat: 'UNDELIV' })).toBe(
      'id:a1 sub:001 dlvrd:000 submit date:2611251504 done date:2611251505 stat:UNDELIV err:000 text:',
    );
    expect(formatReceipt({ id: 'a1', submitDate, doneDate, stat: 'DELIVRD', err: 'x1' })).toContain(
      'dlvrd:001',
    );
  });

  it('pads and clamps counts to three digits and writes error codes as given', () => {
    const r = formatReceipt({ id: '1', sub: 1234, dlvrd: 7, submitDate, doneDate, stat: 'EXPIRED', err: 21 });
    expect(r).toContain('sub:999 dlvrd:007');
    expect(r).toContain('err:021');
  });

  it('writes dates in UTC whatever the local zone', () => {
    const r = formatReceipt({
      id: '1',
      submitDate: new Date('2027-01-01T00:00:00+05:00'),
      doneDate,
      stat: 'ACCEPTD',
    });
    expect(r).toContain('submit date:2612311900');
  });

  it('cuts the text after 20 characters without splitting a surrogate pair', () => {
    const r = formatReceipt({
      id: '1',
      submitDate,
      doneDate,
      stat: 'DELIVRD',
      text: `${'a'.repeat(19)}😀tail`,
    });
    expect(r.endsWith(`text:${'a'.repeat(19)}😀`)).toBe(true);
  });
});

describe('message_state and stat words', () => {
  it.each([
    [1, 'ENROUTE'],
    [2, 'DELIVRD'],
    [3, 'EXPIRED'],
    [4, 'DELETED'],
    [5, 'UNDELIV'],
    [6, 'ACCEPTD'],
    [7, 'UNKNOWN'],
    [8, 'REJECTD'],
  ] as [number, ReceiptStatWord][])('maps state %i to %s and back', (state, stat) => {
    expect(statForMessageState(state)).toBe(stat);
    expect(messageStateForStat(stat)).toBe(state);
    expect(stat).toHaveLength(7);
    expect(ReceiptStat[stat]).toBe(stat);
  });

  it('matches the SMPP 3.4 numbering', () => {
    expect(MessageState).toEqual({
      ENROUTE: 1,
      DELIVERED: 2,
      EXPIRED: 3,
      DELETED: 4,
      UNDELIVERABLE: 5,
      ACCEPTED: 6,
      UNKNOWN: 7,
      REJECTED: 8,
    });
  });

  it('reads long spellings and any case, and gives undefined for unknown words', () => {
    expect(messageStateForStat('delivered')).toBe(2);
    expect(messageStateForStat(' Undeliverable ')).toBe(5);
    expect(messageStateForStat('rejected')).toBe(8);
    expect(messageStateForStat('WHATEVER')).toBeUndefined();
    expect(statForMessageState(0)).toBe('UNKNOWN');
    expect(statForMessageState(42)).toBe('UNKNOWN');
  });
});

describe('parseReceipt', () => {
  it('reads what formatReceipt writes', () => {
    const text = formatReceipt({ id: '0123456789', submitDate, doneDate, stat: 'DELIVRD', text: 'hi there' });
    expect(parseReceipt(text)).toEqual({
      id: '0123456789',
      sub: 1,
      dlvrd: 1,
      submitDate: new Date('2026-11-25T15:04:00Z'),
      doneDate: new Date('2026-11-25T15:05:00Z'),
      stat: 'DELIVRD',
      messageState: 2,
      err: '000',
      text: 'hi there',
    });
  });

  it.each([
    [
      'lowercase labels with 12-digit dates (Kannel-like)',
      'id:1a2b3c4d sub:001 dlvrd:001 submit date:261125150459 done date:261125150530 stat:DELIVRD err:000 text:Hello',
      {
        id: '1a2b3c4d',
        submitDate: '2026-11-25T15:04:59Z',
        doneDate: '2026-11-25T15:05:30Z',
        stat: 'DELIVRD',
        text: 'Hello',
      },
    ],
    [
      'upper-case labels and stat in lower case',
      'ID:77 SUB:001 DLVRD:000 SUBMIT DATE:2611251504 DONE DATE:2611251505 STAT:undeliv ERR:001 TEXT:x',
      { id: '77', stat: 'UNDELIV', messageState: 5, err: '001', text: 'x' },
    ],
    [
      'no text field (Jasmin-like)',
      'id:9ab-cd sub:1 dlvrd:1 submit date:2611251504 done date:2611251505 stat:DELIVRD err:0',
      { id: '9ab-cd', sub: 1, dlvrd: 1, err: '0', text: undefined },
    ],
    [
      '14-digit dates',
      'id:5 submit date:20261125150459 done date:20261125150530 stat:EXPIRED',
      { submitDate: '2026-11-25T15:04:59Z', doneDate: '2026-11-25T15:05:30Z', messageState: 3 },
    ],
    [
      'extra spaces around values',
      'id: 123   sub: 001  dlvrd:001 submit date: 2611251504  done date:2611251505   stat: DELIVRD  err:000 text:  keep spaces',
      { id: '123', sub: 1, stat: 'DELIVRD', text: '  keep spaces' },
    ],
    [
      'underscored date labels',
      'id:1 submit_date:2611251504 done_date:2611251505 stat:ACCEPTD',
      { submitDate: '2026-11-25T15:04:00Z', messageState: 6 },
    ],
    [
      'only id and stat',
      'id:00042 stat:REJECTD',
      { id: '00042', messageState: 8, sub: undefined, doneDate: undefined },
    ],
    [
      'only id and done date',
      'id:42 done date:2611251505',
      { stat: undefined, doneDate: '2026-11-25T15:05:00Z' },
    ],
    ['unknown stat word', 'id:42 stat:ENROUTE2 err:000', { stat: 'ENROUTE2', messageState: undefined }],
    [
      'stat words in the text',
      'id:1 stat:DELIVRD text:stat:REJECTD id:2',
      { id: '1', messageState: 2, text: 'stat:REJECTD id:2' },
    ],
    ['trailing NUL octets', 'id:1 stat:DELIVRD text:ok\u0000\u0000', { text: 'ok' }],
    [
      'invalid dates',
      'id:1 submit date:2613451504 done date:12345 stat:DELIVRD',
      { submitDate: undefined, doneDate: undefined },
    ],
    ['non-numeric counts', 'id:1 sub:abc dlvrd: stat:DELIVRD', { sub: undefined, dlvrd: undefined }],
  ])('reads %s', (_name, text, expected) => {
    const receipt = parseReceipt(text);
    expect(receipt).not.toBeNull();
    for (const [key, value] of Object.entries(expected)) {
      const got = (receipt as unknown as Record<string, unknown>)[key];
      if (key.endsWith('Date') && typeof value === 'string')
        expect((got as Date).toISOString()).toBe(new Date(value).toISOString());
      else expect(got, key).toEqual(value);
    }
  });

  it.each([
    ['plain text', 'Hello, how are you?'],
    ['empty', ''],
    ['id without status', 'id:12345 sub:001'],
    ['status without id', 'stat:DELIVRD err:000'],
    ['empty id', 'id: stat:DELIVRD'],
    ['word ending in id', 'paid:100 stat:DELIVRD'],
  ])('returns null for %s', (_name, text) => {
    expect(parseReceipt(text)).toBeNull();
  });
});
