import {
  CommandStatus,
  SmppEncodeError,
  SmppInvalidStateError,
  SmppSessionClosedError,
  SmppTimeoutError,
  SmppWindowFullError,
} from '@smsc/smpp';
import { describe, expect, it } from 'vitest';
import { EsmeErrorClass, resultForError, resultForStatus, resultForUnsent } from '../src/index.ts';

describe('deliver_sm_resp status to delivery result', () => {
  it.each([
    ['ESME_ROK', CommandStatus.ESME_ROK, 'delivered'],
    ['ESME_RX_T_APPN', CommandStatus.ESME_RX_T_APPN, 'temporary'],
    ['ESME_RTHROTTLED', CommandStatus.ESME_RTHROTTLED, 'throttled'],
    ['ESME_RMSGQFUL', CommandStatus.ESME_RMSGQFUL, 'throttled'],
    ['ESME_RX_P_APPN', CommandStatus.ESME_RX_P_APPN, 'permanent'],
    ['ESME_RX_R_APPN', CommandStatus.ESME_RX_R_APPN, 'permanent'],
    ['ESME_RSYSERR', CommandStatus.ESME_RSYSERR, 'temporary'],
  ] as const)('%s -> %s', (_name, status, expected) => {
    expect(resultForStatus(status).status).toBe(expected);
  });

  it('writes the status into the error text so the receipt can report it', () => {
    expect(resultForStatus(CommandStatus.ESME_RX_P_APPN)).toEqual({
      status: 'permanent',
      reason: 'deliver_sm_resp command_status 0x00000065 (ESME_RX_P_APPN)',
    });
  });
});

describe('request failure to delivery result', () => {
  it('treats a response timeout as a temporary failure of its own class', () => {
    expect(resultForError(new SmppTimeoutError('deliver_sm', 3, 100))).toMatchObject({
      status: 'temporary',
      errorClass: EsmeErrorClass.timeout,
    });
  });

  it('lets a message the session never wrote wait without counting an attempt', () => {
    expect(resultForError(new SmppInvalidStateError('deliver_sm', 'unbinding'), 250)).toEqual({
      status: 'throttled',
      retryAfterMs: 250,
    });
    expect(resultForError(new SmppSessionClosedError('unbinding')).status).toBe('throttled');
    // Closed while outstanding: the ESME may have it.
    expect(resultForError(new SmppSessionClosedError('peer_closed'))).toMatchObject({
      status: 'temporary',
      errorClass: EsmeErrorClass.session,
    });
  });

  it('treats a full window as throttling and an unencodable PDU as final', () => {
    expect(resultForError(new SmppWindowFullError(10, 100)).status).toBe('throttled');
    expect(resultForError(new SmppEncodeError('too long')).status).toBe('permanent');
  });

  it('holds unsent messages the same way as the one that blocked them', () => {
    expect(resultForUnsent({ status: 'throttled', retryAfterMs: 5 })).toEqual({
      status: 'throttled',
      retryAfterMs: 5,
    });
    expect(resultForUnsent({ status: 'temporary', retryAfterMs: 7 })).toEqual({
      status: 'throttled',
      retryAfterMs: 7,
    });
    expect(resultForUnsent({ status: 'temporary' })).toMatchObject({
      status: 'temporary',
      errorClass: EsmeErrorClass.order,
    });
  });
});
