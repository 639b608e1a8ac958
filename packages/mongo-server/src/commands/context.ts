import type { Backend } from '../backend.ts';
import { firstKey } from '../doc-path.ts';
import { MongoCommandError } from '../errors.ts';
import type { Document } from '../wire.ts';

export type ServerInfo = {
  readonly host: string;
  readonly port: number;
  /** Replica set name, or undefined for a standalone. */
  readonly replicaSet: string | undefined;
  readonly startedAt: Date;
};

export type CommandContext = {
  readonly backend: Backend;
  readonly server: ServerInfo;
  readonly db: string;
  readonly cmd: Document;
  readonly connectionId: number;
  /** Aborted when the client's connection closes, so waits end. */
  readonly signal: AbortSignal;
};

export type CommandHandler = (ctx: CommandContext) => Document | Promise<Document>;

/** The collection a namespace command names in its first field (`{find: 'sms', ...}`). */
export function collectionName(ctx: CommandContext): string {
  const first = firstKey(ctx.cmd);
  const name = first === undefined ? undefined : ctx.cmd[first];
  if (typeof name !== 'string') {
    throw new MongoCommandError('InvalidNamespace', `collection name has invalid type ${typeof name}`);
  }
  return name;
}
