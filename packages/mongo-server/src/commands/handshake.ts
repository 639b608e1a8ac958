import { ObjectId } from 'bson';
import type { Document } from '../wire.ts';
import type { CommandContext, CommandHandler } from './context.ts';

// MongoDB 7.0's wire version. The driver (7.x) needs max >= 9 and min <= its own maximum.
export const MAX_WIRE_VERSION = 21;
// Constant for the server's life: a changing electionId/setVersion makes the driver mark the
// primary stale.
const ELECTION_ID = new ObjectId('7fffffff0000000000000001');

/**
 * The hello reply. It deliberately omits `topologyVersion` (the driver would switch to streaming
 * heartbeats with exhaust, which this server does not speak) and lists no compressors.
 */
export function helloReply(ctx: Pick<CommandContext, 'server' | 'connectionId'>): Document {
  const { server } = ctx;
  const me = `${server.host}:${server.port}`;
  const reply: Document = {
    helloOk: true,
    isWritablePrimary: true,
    ismaster: true,
  };
  if (server.replicaSet) {
    Object.assign(reply, {
      setName: server.replicaSet,
      setVersion: 1,
      electionId: ELECTION_ID,
      hosts: [me],
      primary: me,
      me,
      secondary: false,
    });
  }
  Object.assign(reply, {
    maxBsonObjectSize: 16 * 1024 * 1024,
    maxMessageSizeBytes: 48_000_000,
    maxWriteBatchSize: 100_000,
    localTime: new Date(),
    logicalSessionTimeoutMinutes: 30,
    connectionId: ctx.connectionId,
    minWireVersion: 0,
    maxWireVersion: MAX_WIRE_VERSION,
    readOnly: false,
    ok: 1,
  });
  return reply;
}

const hello: CommandHandler = (ctx) => helloReply(ctx);

export const handshakeCommands: Record<string, CommandHandler> = {
  hello,
  isMaster: hello,
  ismaster: hello,
  ping: () => ({ ok: 1 }),
  buildInfo: () => ({
    version: '7.0.0',
    gitVersion: 'smsc-mongo-server',
    versionArray: [7, 0, 0, 0],
    bits: 64,
    maxBsonObjectSize: 16 * 1024 * 1024,
    storageEngines: ['memory'],
    ok: 1,
  }),
  // Sessions are accepted and forgotten: nothing here outlives a command but cursors.
  endSessions: () => ({ ok: 1 }),
  serverStatus: (ctx) => ({
    host: `${ctx.server.host}:${ctx.server.port}`,
    version: '7.0.0',
    process: 'smsc-mongo-server',
    pid: process.pid,
    uptime: Math.floor((Date.now() - ctx.server.startedAt.getTime()) / 1000),
    localTime: new Date(),
    connections: { current: 0 },
    metrics: { cursor: { open: { total: ctx.backend.cursors.size } } },
    ok: 1,
  }),
};
