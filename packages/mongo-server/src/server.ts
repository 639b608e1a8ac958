import { createServer, type Server, type Socket } from 'node:net';
import { Backend } from './backend.ts';
import type { ServerInfo } from './commands/context.ts';
import { helloReply } from './commands/handshake.ts';
import { type InternalErrorListener, runCommand } from './dispatch.ts';
import { firstKey } from './doc-path.ts';
import { MongoCommandError } from './errors.ts';
import { type Document, decodeMessage, encodeMsg, encodeReply, FrameReader, MsgFlags } from './wire.ts';

export type MongoServerOptions = {
  /** TCP port on 127.0.0.1; 0 (default) picks a free one. */
  port?: number;
  /**
   * Replica set name, or false for a standalone. Default `'rs0'`: production runs replica sets, and
   * the driver then enables retryable writes as it would there.
   */
  replicaSet?: string | boolean;
  /** How often TTL indexes are swept. Default 60 000 ms, MongoDB's `ttlMonitorSleepSecs`. */
  ttlIntervalMs?: number;
  /** Called with unexpected (programming) errors; they are also returned to the client as code 1. */
  onInternalError?: InternalErrorListener;
  /** Called with the name of every command run (benchmarks count them without a proxy in between). */
  onCommand?: (name: string) => void;
};

export type MongoServerHandle = {
  /** A URI the driver connects to with default options. */
  readonly uri: string;
  readonly port: number;
  readonly replicaSet: string | undefined;
  readonly backend: Backend;
  /** Stops listening, drops every connection and timer; idempotent. */
  close(): Promise<void>;
};

const HOST = '127.0.0.1';

/** Starts the in-memory MongoDB-wire-compatible server. For tests and trials, never production. */
export async function startMongoServer(options: MongoServerOptions = {}): Promise<MongoServerHandle> {
  const replicaSet =
    options.replicaSet === false
      ? undefined
      : typeof options.replicaSet === 'string'
        ? options.replicaSet
        : 'rs0';
  const ttlIntervalMs = options.ttlIntervalMs ?? 60_000;
  const backend = new Backend();
  const sockets = new Set<Socket>();
  let connectionIds = 0;
  let info: ServerInfo = { host: HOST, port: 0, replicaSet, startedAt: new Date() };

  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.setNoDelay(true);
    const connectionId = ++connectionIds;
    const closed = new AbortController();
    const reader = new FrameReader();
    let replyIds = 0;
    const send = (buf: Buffer) => {
      if (!socket.destroyed) socket.write(buf);
    };
    /** Handles one frame; a promise only while a command waits (see runCommand). */
    const handle = (frame: Buffer): void | Promise<void> => {
      const msg = decodeMessage(frame);
      if (msg.kind === 'query') {
        // The OP_QUERY handshake: only the first message of a connection uses it.
        const name = Object.keys(msg.query)[0] ?? '';
        const reply = /^(hello|isMaster|ismaster)$/.test(name)
          ? helloReply({ server: info, connectionId })
          : runCommand({
              backend,
              server: info,
              db: msg.collection.split('.')[0] ?? 'admin',
              cmd: msg.query,
              connectionId,
              signal: closed.signal,
            });
        const answer = (r: Document) => send(encodeReply(++replyIds, msg.requestId, r));
        return reply instanceof Promise ? reply.then(answer) : answer(reply);
      }
      if (msg.kind === 'other') {
        socket.destroy();
        return;
      }
      const db = typeof msg.command.$db === 'string' ? msg.command.$db : 'admin';
      options.onCommand?.(firstKey(msg.command) ?? '');
      const reply = runCommand(
        { backend, server: info, db, cmd: msg.command, connectionId, signal: closed.signal },
        options.onInternalError,
      );
      const answer = (r: Document) => answerMsg(msg.flags, msg.requestId, r);
      return reply instanceof Promise ? reply.then(answer) : answer(reply);
    };
    const answerMsg = (flags: number, requestId: number, reply: Document): void => {
      // moreToCome: the client expects no reply (w:0 writes, endSessions at close()).
      if (flags & MsgFlags.MoreToCome) return;
      let out: Buffer;
      try {
        out = encodeMsg(++replyIds, requestId, reply);
      } catch (err) {
        // A reply BSON cannot encode (e.g. over 16 MiB) still gets an answer the client can read.
        out = encodeMsg(
          replyIds,
          requestId,
          new MongoCommandError('InternalError', `cannot encode reply: ${(err as Error).message}`).toReply(),
        );
      }
      send(out);
    };
    // One command at a time per connection, in arrival order (the driver never pipelines): frames
    // wait here while a command waits. A command that does not wait is handled at once.
    const pending: Buffer[] = [];
    let waiting = false;
    const drain = (): void => {
      while (!waiting && pending.length > 0) {
        let result: void | Promise<void>;
        try {
          result = handle(pending.shift()!);
        } catch {
          socket.destroy();
          return;
        }
        if (result) {
          waiting = true;
          result.then(
            () => {
              waiting = false;
              drain();
            },
            () => socket.destroy(),
          );
        }
      }
    };
    socket.on('data', (chunk: Buffer) => {
      try {
        for (const frame of reader.push(chunk)) pending.push(frame);
      } catch {
        socket.destroy();
        return;
      }
      drain();
    });
    socket.on('error', () => socket.destroy());
    socket.on('close', () => {
      sockets.delete(socket);
      closed.abort();
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, HOST, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  info = { ...info, port };

  const sweep = setInterval(() => {
    const now = Date.now();
    for (const coll of backend.allCollections()) coll.expire(now);
    backend.cursors.reapIdle(now);
  }, ttlIntervalMs);
  sweep.unref();

  const uri = replicaSet
    ? `mongodb://${HOST}:${port}/?replicaSet=${encodeURIComponent(replicaSet)}`
    : `mongodb://${HOST}:${port}/?directConnection=true`;
  let closing: Promise<void> | undefined;
  return {
    uri,
    port,
    replicaSet,
    backend,
    close() {
      closing ??= (async () => {
        clearInterval(sweep);
        backend.cursors.killAll();
        for (const coll of backend.allCollections()) coll.markDropped();
        const done = new Promise<void>((resolve) => server.close(() => resolve()));
        for (const s of sockets) s.destroy();
        await done;
      })();
      return closing;
    },
  };
}
