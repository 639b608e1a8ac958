import { afterEach, describe, expect, it } from 'vitest';
import { CommandStatus } from '../../src/command-status.ts';
import { SmppInvalidStateError } from '../../src/session/errors.ts';
import type { SmppSession } from '../../src/session/session.ts';
import type { Pdu } from '../../src/types.ts';
import { bindEsmeSession, bindRawEsme, type RawPeer, sessionWithRawPeer } from './raw-peer.ts';

const open: { session: SmppSession; peer: RawPeer }[] = [];
afterEach(async () => {
  for (const { session, peer } of open.splice(0)) {
    await session.close();
    peer.destroy();
  }
});

describe('esmeMayDeliver: mobile-originated deliver_sm from a gateway ESME', () => {
  for (const [bind, allowed] of [
    ['bind_transmitter', true],
    ['bind_transceiver', true],
    ['bind_receiver', false],
  ] as const) {
    it(`${allowed ? 'hands' : 'still refuses'} deliver_sm from an ESME on ${bind} when enabled`, async () => {
      const pair = sessionWithRawPeer({ role: 'smsc', esmeMayDeliver: true });
      open.push(pair);
      const seen: Pdu[] = [];
      pair.session.on('pdu', (pdu) => {
        seen.push(pdu);
        if (pdu.command === 'deliver_sm') pair.session.respond(pdu);
      });
      await bindRawEsme(pair.session, pair.peer, bind);
      pair.peer.send({ command: 'deliver_sm', sequenceNumber: 9, destinationAddr: '4670' });
      const answer = await pair.peer.next();
      expect(answer).toMatchObject({ command: 'deliver_sm_resp', sequenceNumber: 9 });
      expect(answer.commandStatus).toBe(allowed ? CommandStatus.ESME_ROK : CommandStatus.ESME_RINVBNDSTS);
      expect(seen.length).toBe(allowed ? 1 : 0);
    });
  }

  it('refuses deliver_sm from an ESME by default (SMPP 3.4 §4.6)', async () => {
    const pair = sessionWithRawPeer({ role: 'smsc' });
    open.push(pair);
    await bindRawEsme(pair.session, pair.peer, 'bind_transceiver');
    pair.peer.send({ command: 'deliver_sm', sequenceNumber: 3 });
    expect((await pair.peer.next()).commandStatus).toBe(CommandStatus.ESME_RINVBNDSTS);
  });

  it('lets our ESME side send deliver_sm only when enabled', async () => {
    const off = sessionWithRawPeer({ role: 'esme' });
    const on = sessionWithRawPeer({ role: 'esme', esmeMayDeliver: true });
    open.push(off, on);
    await bindEsmeSession(off.session, off.peer, 'bind_transmitter');
    await bindEsmeSession(on.session, on.peer, 'bind_transmitter');
    await expect(
      off.session.request({ command: 'deliver_sm', destinationAddr: '4670' }),
    ).rejects.toBeInstanceOf(SmppInvalidStateError);
    const pending = on.session.request({ command: 'deliver_sm', destinationAddr: '4670' });
    const sent = await on.peer.next();
    expect(sent.command).toBe('deliver_sm');
    on.peer.send({ command: 'deliver_sm_resp', sequenceNumber: sent.sequenceNumber });
    expect((await pending).commandStatus).toBe(CommandStatus.ESME_ROK);
  });
});
