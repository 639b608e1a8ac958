import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type SmppSession, splitMessage } from '@smsc/smpp';
import { afterAll, describe, expect, it } from 'vitest';
import { boundEsme, exitOf, logLine, smsc, waitFor } from './helpers.ts';

describe('the smsc process', () => {
  const dir = mkdtempSync(join(tmpdir(), 'smsc-process-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('prints its usage for --help and exits 0', async () => {
    const child = smsc(['--help'], dir);
    let out = '';
    child.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
    });
    expect(await exitOf(child, 10_000)).toBe(0);
    expect(out).toMatch(/^Usage: smsc \[role\]/);
    expect(out).toContain('MONGODB_URI');
  });

  it('refuses a bad config naming the field, with exit code 2', async () => {
    writeFileSync(join(dir, 'bad.json'), JSON.stringify({ smpp: { port: -1 } }));
    const child = smsc(['all', '--config', 'bad.json'], dir);
    let err = '';
    child.stderr!.on('data', (c: Buffer) => {
      err += c.toString();
    });
    expect(await exitOf(child, 10_000)).toBe(2);
    expect(err).toContain('smpp.port: must be an integer 0-65535');
  });

  it('refuses to run the inserter role without a MongoDB URI', async () => {
    const child = smsc(['inserter'], dir);
    let err = '';
    child.stderr!.on('data', (c: Buffer) => {
      err += c.toString();
    });
    expect(await exitOf(child, 10_000)).toBe(2);
    expect(err).toContain('mongodb.uri: is required for the inserter role');
  });

  it('stops cleanly, exit 0, when SIGTERM arrives while it is still starting', async () => {
    writeFileSync(
      join(dir, 'early.json'),
      JSON.stringify({ smpp: { port: 0 }, shutdown: { drainMs: 1000 } }),
    );
    const child = smsc(['all', '--config', 'early.json'], dir);
    await logLine(child, 'starting', 10_000);
    child.kill('SIGTERM');
    expect(await exitOf(child, 15_000)).toBe(0);
    expect(child.output.join('')).toContain('"msg":"shutting down"');
  });

  it('runs all roles: GSM, UCS2 and concatenated messages reach the sink in order with a receipt each, SIGTERM exits 0', async () => {
    writeFileSync(
      join(dir, 'smsc.json'),
      JSON.stringify({
        smpp: { port: 0, enquireLinkIntervalMs: 0 },
        accounts: [
          { systemId: 'acme', password: 'acme-pw' },
          { systemId: 'sink', password: 'sink-pw' },
        ],
        routes: [{ prefix: '4670', account: 'sink' }],
        shutdown: { drainMs: 3000 },
      }),
    );
    const child = smsc(['all', '--config', 'smsc.json'], dir);
    let stderr = '';
    child.stderr!.on('data', (c: Buffer) => {
      stderr += c.toString();
    });
    const sessions: SmppSession[] = [];
    try {
      const running = await logLine(child, 'smsc running', 15_000);
      const port = (running.smpp as { port: number }).port;
      const connect = async (
        systemId: string,
        password: string,
        command: 'bind_receiver' | 'bind_transceiver',
      ) => {
        const esme = await boundEsme(port, systemId, password, command);
        sessions.push(esme.s);
        return esme;
      };
      const sink = await connect('sink', 'sink-pw', 'bind_receiver');
      const acme = await connect('acme', 'acme-pw', 'bind_transceiver');
      const submit = (fields: { shortMessage: Buffer; dataCoding?: number; esmClass?: number }) =>
        acme.s.request({
          command: 'submit_sm',
          sourceAddrTon: 1,
          sourceAddrNpi: 1,
          sourceAddr: '4915100000001',
          destAddrTon: 1,
          destAddrNpi: 1,
          destinationAddr: '46700000001',
          registeredDelivery: 1,
          ...fields,
        });
      const sent: { shortMessage: Buffer; dataCoding: number; esmClass: number }[] = [
        { shortMessage: Buffer.from('hello sink'), dataCoding: 0, esmClass: 0 },
        // UCS2 with a surrogate pair.
        {
          shortMessage: Buffer.from('\u00e9t\u00e9 \ud83d\ude00', 'utf16le').swap16(),
          dataCoding: 8,
          esmClass: 0,
        },
      ];
      // A 400-character message in three GSM segments with an 8-bit concatenation UDH.
      for (const seg of splitMessage(`${'x'.repeat(390)} the end.`, { method: 'udh8', reference: 42 }))
        sent.push({
          shortMessage: seg.shortMessage,
          dataCoding: seg.dataCoding,
          esmClass: seg.esmClassFlags,
        });
      expect(sent).toHaveLength(5);
      const ids: string[] = [];
      for (const fields of sent) {
        const resp = await submit(fields);
        expect(resp.commandStatus).toBe(0);
        ids.push(resp.messageId);
      }
      await waitFor(() => sink.got.length === sent.length && acme.got.length === sent.length, 15_000);
      // Intact and in order: same bytes, coding and UDHI flag as submitted.
      expect(sink.got.map((p) => [p.shortMessage.toString('hex'), p.dataCoding, p.esmClass])).toEqual(
        sent.map((f) => [f.shortMessage.toString('hex'), f.dataCoding, f.esmClass]),
      );
      // One receipt per message and per segment, with exactly the ids the submit_sm_resp carried.
      expect(acme.got.map((p) => p.tlvs?.receiptedMessageId).sort()).toEqual([...ids].sort());
      for (const r of acme.got) {
        expect(r.esmClass).toBe(0x04);
        expect(r.shortMessage.toString()).toMatch(
          new RegExp(`^id:${r.tlvs?.receiptedMessageId} .*stat:DELIVRD`),
        );
      }

      child.kill('SIGTERM');
      expect(await exitOf(child, 10_000)).toBe(0);
      // The SMSC unbound the sessions rather than dropping them.
      const closed = await Promise.all(sessions.map((s) => s.closed));
      for (const info of closed) expect(info.reason).toBe('peer_unbind');
    } finally {
      for (const s of sessions) await s.close();
      if (child.exitCode === null) child.kill('SIGKILL');
      if (stderr) console.error(stderr);
    }
  }, 30_000);
});
