import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SmppSession } from '@smsc/smpp';
import { type TestMongo, useTestMongo } from '@smsc/test-mongo';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { boundEsme, exitOf, logLine, type SmscChild, smsc, waitFor } from './helpers.ts';

describe('separate processes on one MongoDB', () => {
  const dir = mkdtempSync(join(tmpdir(), 'smsc-processes-'));
  let mongo: TestMongo;
  beforeAll(async () => {
    mongo = await useTestMongo();
  });
  afterAll(async () => {
    await mongo.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('delivers through the inserter that holds the receiver, the receipt through the one that holds the submitter; every role exits 0 on SIGTERM', async () => {
    writeFileSync(
      join(dir, 'smsc.json'),
      JSON.stringify({
        mongodb: { uri: mongo.uri, database: mongo.dbName },
        smpp: { port: 0, enquireLinkIntervalMs: 0 },
        accounts: [
          { systemId: 'acme', password: 'acme-pw' },
          { systemId: 'sink', password: 'sink-pw' },
        ],
        routes: [{ prefix: '4670', account: 'sink' }],
        cleanup: { intervalMs: 500, leaseMs: 5000 },
        shutdown: { drainMs: 2000 },
      }),
    );
    const children: SmscChild[] = [];
    const sessions: SmppSession[] = [];
    try {
      const start = async (role: string) => {
        const child = smsc([role, '--config', 'smsc.json'], dir, { SMSC_LOG_LEVEL: 'debug' });
        children.push(child);
        return { child, running: await logLine(child, 'smsc running', 15_000) };
      };
      // One after the other: the first applies the config, so the next ones find the same records.
      const a = await start('inserter');
      const b = await start('inserter');
      await start('cleanup');
      await start('delivery');
      const portOf = (r: Record<string, unknown>) => (r.smpp as { port: number }).port;

      const sink = await boundEsme(portOf(b.running), 'sink', 'sink-pw', 'bind_receiver');
      const acme = await boundEsme(portOf(a.running), 'acme', 'acme-pw', 'bind_transceiver');
      sessions.push(sink.s, acme.s);
      const ids: string[] = [];
      for (const text of ['first', 'second', 'third']) {
        const resp = await acme.s.request({
          command: 'submit_sm',
          sourceAddr: '4915100000001',
          destAddrTon: 1,
          destAddrNpi: 1,
          destinationAddr: '46700000002',
          registeredDelivery: 1,
          shortMessage: Buffer.from(text),
        });
        expect(resp.commandStatus).toBe(0);
        ids.push(resp.messageId);
      }
      await waitFor(() => sink.got.length === 3 && acme.got.length === 3, 15_000).catch((error) => {
        for (const c of children) console.error(c.output.join('').slice(-4000));
        throw error;
      });
      expect(sink.got.map((p) => p.shortMessage.toString())).toEqual(['first', 'second', 'third']);
      expect(acme.got.map((p) => p.tlvs?.receiptedMessageId).sort()).toEqual([...ids].sort());

      for (const child of children) child.kill('SIGTERM');
      for (const child of children) expect(await exitOf(child, 10_000)).toBe(0);
    } finally {
      for (const s of sessions) await s.close();
      for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
    }
  }, 40_000);
});
