/** TCP and TLS entry points: connect an ESME session, or listen for ESMEs as an SMSC. */
import { once } from 'node:events';
import net from 'node:net';
import tls from 'node:tls';
import type { CloseInfo } from './events.ts';
import type { SessionOptions } from './options.ts';
import { type BindParams, SmppSession } from './session.ts';
import type { BindCommand } from './state.ts';

export interface ConnectSmppOptions extends Omit<SessionOptions, 'role'> {
  host: string;
  port: number;
  /** TLS: true for defaults, or tls.connect options (ca, servername, rejectUnauthorized...). */
  tls?: boolean | tls.ConnectionOptions;
  /** Give up connecting after this long. Default 10 000 ms. */
  connectTimeoutMs?: number;
  /** Bind right after connecting; a refused bind closes the session and rejects with SmppBindError. */
  bind?: BindParams & { command: BindCommand };
}

/** Opens a connection as an ESME and resolves with the session (bound when `bind` is given). */
export async function connectSmpp(options: ConnectSmppOptions): Promise<SmppSession> {
  const { host, port, tls: tlsOptions, connectTimeoutMs = 10_000, bind, ...sessionOptions } = options;
  const socket = tlsOptions
    ? tls.connect({ ...(tlsOptions === true ? {} : tlsOptions), host, port })
    : net.connect({ host, port });
  const ready = tlsOptions ? 'secureConnect' : 'connect';
  const signal = AbortSignal.timeout(connectTimeoutMs);
  try {
    await once(socket, ready, { signal });
  } catch (error) {
    socket.destroy();
    throw error;
  }
  socket.setNoDelay(true);
  const session = new SmppSession(socket, { ...sessionOptions, role: 'esme' });
  if (bind) {
    const { command, ...params } = bind;
    try {
      await session.bind(command, params);
    } catch (error) {
      await session.close();
      throw error;
    }
  }
  return session;
}

export interface ListenSmppOptions extends Omit<SessionOptions, 'role' | 'id'> {
  /** Default 127.0.0.1. */
  host?: string;
  /** 0 picks a free port (see `server.port`). */
  port: number;
  /** TLS server options (key and cert at least); plain TCP when absent. */
  tls?: tls.TlsOptions;
}

export interface SmppServer {
  readonly port: number;
  readonly host: string;
  /** Sessions currently open. */
  readonly sessions: ReadonlySet<SmppSession>;
  /** Stops accepting, unbinds every session (each bounded by its unbind timeout), resolves when all closed. */
  close(): Promise<CloseInfo[]>;
}

/** Listens as an SMSC; `onSession` gets each new session (attach 'bind' and 'pdu' listeners there). */
export async function listenSmpp(
  options: ListenSmppOptions,
  onSession: (session: SmppSession) => void,
): Promise<SmppServer> {
  const { host = '127.0.0.1', port, tls: tlsOptions, ...sessionOptions } = options;
  const sessions = new Set<SmppSession>();
  const accept = (socket: net.Socket) => {
    socket.setNoDelay(true);
    const session = new SmppSession(socket, { ...sessionOptions, role: 'smsc' });
    sessions.add(session);
    void session.closed.then(() => sessions.delete(session));
    onSession(session);
  };
  const server = tlsOptions ? tls.createServer(tlsOptions, accept) : net.createServer(accept);
  // A failed TLS handshake is one client's problem, not the listener's.
  server.on('tlsClientError', (_error, socket) => socket.destroy());
  server.listen(port, host);
  await once(server, 'listening');
  const address = server.address() as net.AddressInfo;
  let closing: Promise<CloseInfo[]> | undefined;
  return {
    port: address.port,
    host: address.address,
    sessions,
    close() {
      closing ??= (async () => {
        const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
        const infos = await Promise.all([...sessions].map((s) => s.unbind()));
        await stopped;
        return infos;
      })();
      return closing;
    },
  };
}
