import { afterEach, describe, expect, it } from 'vitest';
import type { CommandName } from '../../src/command-ids.ts';
import { CommandStatus } from '../../src/command-status.ts';
import { SmppBindError, SmppInvalidStateError } from '../../src/session/errors.ts';
import type { SmppSession } from '../../src/session/session.ts';
import type { Pdu } from '../../src/types.ts';
import { bindEsmeSession, bindRawEsme, type RawPeer, sessionWithRawPeer } from './raw-peer.ts';

const S = CommandStatus;
const BINDS = ['bind_transmitter', 'bind_receiver', 'bind_transceiver'] as const;
const open: { session: SmppSession; peer: RawPeer }[] = [];

function setup(role: 'esme' | 'smsc') {
  const pair = sessionWithRawPeer({ role });
  open.push(pair);
  return pair;
}

afterEach(async () => {
  for (const { session, peer } of open.splice(0)) {
    await session.close();
    peer.destroy();
  }
});

// SMPP 3.4 §2.3 Table 2-1: what an ESME may send the SMSC in each bind state.
const ESME_REQUESTS: { command: CommandName; allowedIn: readonly string[] }[] = [
  { command: 'submit_sm', allowedIn: ['bind_transmitter', 'bind_transceiver'] },
  { command: 'submit_multi', allowedIn: ['bind_transmitter', 'bind_transceiver'] },
  { command: 'query_sm', allowedIn: ['bind_transmitter', 'bind_transceiver'] },
  { command: 'cancel_sm', allowedIn: ['bind_transmitter', 'bind_transceiver'] },
  { command: 'replace_sm', allowedIn: ['bind_transmitter', 'bind_transceiver'] },
  { command: 'data_sm', allowedIn: ['bind_transmitter', 'bind_transceiver'] },
];

// What an SMSC may send an ESME.
const SMSC_REQUESTS: { command: CommandName; allowedIn: readonly string[] }[] = [
  { command: 'deliver_sm', allowedIn: ['bind_receiver', 'bind_transceiver'] },
  { command: 'data_sm', allowedIn: ['bind_receiver', 'bind_transceiver'] },
];

describe('SMSC session receiving ESME requests', () => {
  for (const bind of BINDS) {
    for (const { command, allowedIn } of ESME_REQUESTS) {
      const allowed = allowedIn.includes(bind);
      it(`${allowed ? 'hands' : 'refuses with ESME_RINVBNDSTS'} ${command} on ${bind}`, async () => {
        const { session, peer } = setup('smsc');
        const seen: Pdu[] = [];
        session.on('pdu', (pdu) => {
          seen.push(pdu);
          if (pdu.command !== 'alert_notification') session.respond(pdu, { messageId: 'm1' });
        });
        const resp = await bindRawEsme(session, peer, bind);
        expect(resp).toMatchObject({ command: `${bind}_resp`, commandStatus: S.ESME_ROK, sequenceNumber: 1 });
        peer.send({ command: command as 'submit_sm', sequenceNumber: 7 });
        const answer = await peer.next();
        expect(answer.command).toBe(`${command}_resp`);
        expect(answer.sequenceNumber).toBe(7);
        expect(answer.commandStatus).toBe(allowed ? S.ESME_ROK : S.ESME_RINVBNDSTS);
        expect(seen.map((p) => p.command)).toEqual(allowed ? [command] : []);
      });
    }
  }

  it('refuses every ESME request before bind with ESME_RINVBNDSTS but answers enquire_link', async () => {
    const { session, peer } = setup('smsc');
    session.on('pdu', () => expect.fail('nothing may reach the application before bind'));
    for (const [i, { command }] of ESME_REQUESTS.entries()) {
      peer.send({ command: command as 'submit_sm', sequenceNumber: 10 + i });
      expect(await peer.next()).toMatchObject({
        command: `${command}_resp`,
        commandStatus: S.ESME_RINVBNDSTS,
        sequenceNumber: 10 + i,
      });
    }
    peer.send({ command: 'enquire_link', sequenceNumber: 99 });
    expect(await peer.next()).toMatchObject({
      command: 'enquire_link_resp',
      commandStatus: 0,
      sequenceNumber: 99,
    });
    expect(session.state).toBe('open');
  });

  it('refuses an SMSC-only request (deliver_sm) from the ESME even on a transceiver', async () => {
    const { session, peer } = setup('smsc');
    await bindRawEsme(session, peer, 'bind_transceiver');
    peer.send({ command: 'deliver_sm', sequenceNumber: 3 });
    expect(await peer.next()).toMatchObject({ command: 'deliver_sm_resp', commandStatus: S.ESME_RINVBNDSTS });
  });

  it('answers a second bind on a bound session with ESME_RALYBND and stays bound', async () => {
    const { session, peer } = setup('smsc');
    await bindRawEsme(session, peer, 'bind_transmitter');
    let binds = 0;
    session.on('bind', () => binds++);
    peer.send({ command: 'bind_receiver', systemId: 'x', sequenceNumber: 2 });
    expect(await peer.next()).toMatchObject({
      command: 'bind_receiver_resp',
      commandStatus: S.ESME_RALYBND,
      sequenceNumber: 2,
    });
    expect(binds).toBe(0);
    expect(session.state).toBe('bound_tx');
  });

  it('writes bind_resp before anything a bound listener sends', async () => {
    const { session, peer } = setup('smsc');
    session.on('bound', () => {
      void session.request({ command: 'deliver_sm', sourceAddr: 'first' }).catch(() => {});
    });
    await bindRawEsme(session, peer, 'bind_receiver');
    expect(await peer.next()).toMatchObject({ command: 'deliver_sm', sourceAddr: 'first' });
  });

  it('refuses a bind with ESME_RBINDFAIL when no bind listener decides', async () => {
    const { session, peer } = setup('smsc');
    peer.send({ command: 'bind_transceiver', systemId: 'x', sequenceNumber: 5 });
    expect(await peer.next()).toMatchObject({ commandStatus: S.ESME_RBINDFAIL, sequenceNumber: 5 });
    expect(session.state).toBe('open');
  });

  it('passes the application status of a refused bind to the ESME and lets it try again', async () => {
    const { session, peer } = setup('smsc');
    session.once('bind', (req) => req.reject(S.ESME_RINVPASWD));
    peer.send({ command: 'bind_transceiver', systemId: 'x', password: 'bad', sequenceNumber: 1 });
    expect(await peer.next()).toMatchObject({ commandStatus: S.ESME_RINVPASWD });
    const resp = await bindRawEsme(session, peer, 'bind_transceiver', 2);
    expect(resp).toMatchObject({ commandStatus: 0, systemId: 'smsc', tlvs: { scInterfaceVersion: 0x34 } });
    expect(session.systemId).toBe('esme1');
  });
});

describe('ESME session receiving SMSC requests', () => {
  for (const bind of BINDS) {
    for (const { command, allowedIn } of SMSC_REQUESTS) {
      const allowed = allowedIn.includes(bind);
      it(`${allowed ? 'hands' : 'refuses with ESME_RINVBNDSTS'} ${command} on ${bind}`, async () => {
        const { session, peer } = setup('esme');
        const seen: string[] = [];
        session.on('pdu', (pdu) => {
          seen.push(pdu.command);
          if (pdu.command !== 'alert_notification') session.respond(pdu);
        });
        await bindEsmeSession(session, peer, bind);
        peer.send({ command: command as 'deliver_sm', sequenceNumber: 8 });
        expect(await peer.next()).toMatchObject({
          command: `${command}_resp`,
          sequenceNumber: 8,
          commandStatus: allowed ? S.ESME_ROK : S.ESME_RINVBNDSTS,
        });
        expect(seen).toEqual(allowed ? [command] : []);
      });
    }

    it(`${bind === 'bind_transmitter' ? 'refuses with generic_nack' : 'accepts'} alert_notification on ${bind}`, async () => {
      const { session, peer } = setup('esme');
      const seen: string[] = [];
      session.on('pdu', (pdu) => seen.push(pdu.command));
      await bindEsmeSession(session, peer, bind);
      peer.send({ command: 'alert_notification', sequenceNumber: 4, sourceAddr: '123' });
      // alert_notification has no response (§4.12); a refusal can only travel in a generic_nack.
      peer.send({ command: 'enquire_link', sequenceNumber: 5 });
      if (bind === 'bind_transmitter') {
        expect(await peer.next()).toMatchObject({
          command: 'generic_nack',
          commandStatus: 4,
          sequenceNumber: 4,
        });
      }
      expect(await peer.next()).toMatchObject({ command: 'enquire_link_resp', sequenceNumber: 5 });
      expect(seen).toEqual(bind === 'bind_transmitter' ? [] : ['alert_notification']);
    });
  }

  it('answers an unexpected bind request from the SMSC with ESME_RINVBNDSTS', async () => {
    const { peer } = setup('esme');
    peer.send({ command: 'bind_transmitter', systemId: 'x', sequenceNumber: 6 });
    expect(await peer.next()).toMatchObject({
      command: 'bind_transmitter_resp',
      commandStatus: S.ESME_RINVBNDSTS,
    });
  });

  it('rejects a refused bind with SmppBindError carrying the status, staying open', async () => {
    const { session, peer } = setup('esme');
    const bound = session.bind('bind_transmitter', { systemId: 'esme1', password: 'bad' });
    const req = await peer.nextOf('bind_transmitter');
    expect(req).toMatchObject({ systemId: 'esme1', password: 'bad', interfaceVersion: 0x34 });
    peer.send({
      command: 'bind_transmitter_resp',
      commandStatus: S.ESME_RINVPASWD,
      sequenceNumber: req.sequenceNumber,
    });
    const error = await bound.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SmppBindError);
    expect(error).toMatchObject({ code: 'SMPP_BIND_FAILED', commandStatus: S.ESME_RINVPASWD });
    expect(session.state).toBe('open');
  });

  it('is bound before it handles a deliver_sm that arrives in the same chunk as bind_resp', async () => {
    const { session, peer } = setup('esme');
    const seen: string[] = [];
    session.on('pdu', (pdu) => {
      seen.push(pdu.command);
      if (pdu.command === 'deliver_sm') session.respond(pdu);
    });
    const bound = session.bind('bind_receiver', { systemId: 'esme1' });
    const req = await peer.next();
    const { encodePdu } = await import('../../src/encode.ts');
    const { buildPdu } = await import('../../src/session/build.ts');
    peer.sendBytes(
      Buffer.concat([
        encodePdu(
          buildPdu({ command: 'bind_receiver_resp', sequenceNumber: req.sequenceNumber, systemId: 's' }),
        ),
        encodePdu(buildPdu({ command: 'deliver_sm', sequenceNumber: 1 })),
      ]),
    );
    await bound;
    expect(await peer.next()).toMatchObject({ command: 'deliver_sm_resp', commandStatus: 0 });
    expect(seen).toEqual(['deliver_sm']);
  });
});

describe('what a session refuses to send', () => {
  it('an ESME may send nothing but bind (and enquire_link) before binding', async () => {
    const { session } = setup('esme');
    await expect(session.request({ command: 'submit_sm' })).rejects.toBeInstanceOf(SmppInvalidStateError);
  });

  it('a receiver may not send submit_sm', async () => {
    const { session, peer } = setup('esme');
    await bindEsmeSession(session, peer, 'bind_receiver');
    await expect(session.request({ command: 'submit_sm' })).rejects.toMatchObject({
      code: 'SMPP_INVALID_STATE',
      state: 'bound_rx',
    });
    expect(peer.pending).toEqual([]);
  });

  it('an ESME may not bind twice', async () => {
    const { session, peer } = setup('esme');
    await bindEsmeSession(session, peer, 'bind_transceiver');
    await expect(session.bind('bind_transmitter', { systemId: 'x' })).rejects.toBeInstanceOf(
      SmppInvalidStateError,
    );
  });

  it('an SMSC may send deliver_sm only to a receiver or transceiver', async () => {
    const { session, peer } = setup('smsc');
    await bindRawEsme(session, peer, 'bind_transmitter');
    await expect(session.request({ command: 'deliver_sm' })).rejects.toBeInstanceOf(SmppInvalidStateError);
    await expect(session.request({ command: 'submit_sm' })).rejects.toBeInstanceOf(SmppInvalidStateError);
  });
});
