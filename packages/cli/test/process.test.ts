import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SmppSession } from '@smsc/smpp';
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

  it('runs all roles: a bind works, a message reaches the sink with its receipt, SIGTERM exits 0', async () => {
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
      const resp = await acme.s.request({
        command: 'submit_sm',
        sourceAddrTon: 1,
        sourceAddrNpi: 1,
        sourceAddr: '4915100000001',
        destAddrTon: 1,
        destAddrNpi: 1,
        destinationAddr: '46700000001',
        registeredDelivery: 1,
        shortMessage: Buffer.from('hello sink'),
      });
      expect(resp.commandStatus).toBe(0);
      expect(resp.messageId).not.toBe('');
      await waitFor(() => sink.got.length === 1 && acme.got.length === 1, 10_000);
      expect(sink.got[0]?.shortMessage.toString()).toBe('hello sink');
      expect(acme.got[0]?.esmClass).toBe(0x04);
      expect(acme.got[0]?.tlvs?.receiptedMessageId).toBe(resp.messageId);
      expect(acme.got[0]?.shortMessage.toString()).toMatch(
        new RegExp(`^id:${resp.messageId} .*stat:DELIVRD`),
      );

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
