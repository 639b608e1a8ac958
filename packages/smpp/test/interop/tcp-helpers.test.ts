/** connectSmpp / listenSmpp over TCP on 127.0.0.1: bind failures, server shutdown, refused connections. */
import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { CommandStatus } from '../../src/command-status.ts';
import { connectSmpp, listenSmpp } from '../../src/session/connect.ts';
import type { CloseInfo } from '../../src/session/events.ts';

describe('connectSmpp and listenSmpp', () => {
  it('rejects with SmppBindError and closes the connection when the bind is refused', async () => {
    const closes: Promise<CloseInfo>[] = [];
    const server = await listenSmpp({ port: 0 }, (session) => {
      closes.push(session.closed);
      session.on('bind', (req) => req.reject(CommandStatus.ESME_RINVSYSID));
    });
    try {
      await expect(
        connectSmpp({
          host: '127.0.0.1',
          port: server.port,
          bind: { command: 'bind_transmitter', systemId: 'nobody' },
        }),
      ).rejects.toMatchObject({ code: 'SMPP_BIND_FAILED', commandStatus: CommandStatus.ESME_RINVSYSID });
      expect(await closes[0]).toMatchObject({ reason: 'peer_closed' });
      expect(server.sessions.size).toBe(0);
    } finally {
      await server.close();
    }
  });

  it('unbinds every bound session when the server closes', async () => {
    const server = await listenSmpp({ port: 0 }, (session) => session.on('bind', (req) => req.accept()));
    const clients = await Promise.all(
      [1, 2].map(() =>
        connectSmpp({
          host: '127.0.0.1',
          port: server.port,
          bind: { command: 'bind_receiver', systemId: 'r' },
        }),
      ),
    );
    expect(server.sessions.size).toBe(2);
    const serverSide = await server.close();
    expect(serverSide).toEqual([
      { reason: 'unbind', clean: true },
      { reason: 'unbind', clean: true },
    ]);
    for (const c of clients) expect(await c.closed).toEqual({ reason: 'peer_unbind', clean: true });
  });

  it('rejects when nothing listens on the port', async () => {
    const probe = net.createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const { port } = probe.address() as net.AddressInfo;
    await new Promise((resolve) => probe.close(resolve));
    await expect(connectSmpp({ host: '127.0.0.1', port })).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  });
});
