import { describe, expect, it } from 'vitest';
import {
  CommandId,
  CommandStatus,
  commandName,
  createGenericNack,
  createPdu,
  createResponse,
  decodePdu,
  encodePdu,
  isResponse,
  responseCommand,
  SmppDecodeError,
} from '../../src/index.ts';

describe('command ids', () => {
  it('marks responses with bit 31 (§5.1.2)', () => {
    expect(isResponse(CommandId.submit_sm_resp)).toBe(true);
    expect(isResponse(CommandId.generic_nack)).toBe(true);
    expect(isResponse(CommandId.submit_sm)).toBe(false);
  });

  it('names known ids and nothing else', () => {
    expect(commandName(0x00000004)).toBe('submit_sm');
    expect(commandName(0x80000103)).toBe('data_sm_resp');
    expect(commandName(0x00000022)).toBeUndefined();
  });

  it('pairs every request with its response, and none for alert_notification and outbind', () => {
    expect(responseCommand('bind_transceiver')).toBe('bind_transceiver_resp');
    expect(responseCommand('alert_notification')).toBeUndefined();
    expect(responseCommand('outbind')).toBeUndefined();
    for (const name of Object.keys(CommandId) as (keyof typeof CommandId)[]) {
      const resp = responseCommand(name);
      if (resp !== undefined) expect(CommandId[resp]).toBe((CommandId[name] | 0x80000000) >>> 0);
    }
  });
});

describe('building PDUs', () => {
  it('creates a response with the request sequence number and ESME_ROK', () => {
    const request = createPdu('submit_sm', { sequenceNumber: 41, destinationAddr: '4477' });
    const response = createResponse(request, { messageId: 'abc' });
    expect(response).toEqual({
      command: 'submit_sm_resp',
      commandStatus: 0,
      sequenceNumber: 41,
      messageId: 'abc',
    });
    expect(decodePdu(encodePdu(response))).toEqual(response);
  });

  it('creates an error response that encodes without a body', () => {
    const response = createResponse(createPdu('query_sm', { sequenceNumber: 2 }), {
      commandStatus: CommandStatus.ESME_RQUERYFAIL,
    });
    expect(encodePdu(response).length).toBe(16);
  });

  it('creates the generic_nack for a decode error', () => {
    const error = new SmppDecodeError('x', CommandStatus.ESME_RINVCMDID, 0x22, 9, false);
    expect(createGenericNack(error)).toEqual({
      command: 'generic_nack',
      commandStatus: CommandStatus.ESME_RINVCMDID,
      sequenceNumber: 9,
    });
  });
});
