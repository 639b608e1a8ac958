import { aggregate } from './commands/aggregate.ts';
import { bulkWrite } from './commands/bulk-write.ts';
import type { CommandContext, CommandHandler } from './commands/context.ts';
import { ddlCommands } from './commands/ddl.ts';
import { explain } from './commands/explain.ts';
import { handshakeCommands } from './commands/handshake.ts';
import { queryCommands } from './commands/query.ts';
import { writeCommands } from './commands/write.ts';
import { firstKey } from './doc-path.ts';
import { MongoCommandError, toCommandError } from './errors.ts';
import type { Document } from './wire.ts';

const commands: Record<string, CommandHandler> = {
  ...handshakeCommands,
  ...writeCommands,
  bulkWrite,
  ...queryCommands,
  aggregate,
  explain,
  ...ddlCommands,
};

const TRANSACTION_COMMANDS = new Set(['commitTransaction', 'abortTransaction']);

export type InternalErrorListener = (err: unknown, command: string) => void;

/**
 * Runs one command and always returns a reply document: failures become `{ok: 0, code, codeName}`.
 * Unknown commands fail loudly with 59 so an unsupported feature is never silently ignored.
 * Synchronous commands (all but those that wait: getMore on a tail or a change stream) reply
 * synchronously, without a promise and a turn of the microtask queue each.
 */
export function runCommand(
  ctx: CommandContext,
  onInternalError?: InternalErrorListener,
): Document | Promise<Document> {
  const name = firstKey(ctx.cmd) ?? '';
  const fail = (err: unknown): Document => {
    if (
      !(err instanceof MongoCommandError) &&
      (err instanceof TypeError || err instanceof RangeError || err instanceof ReferenceError)
    ) {
      onInternalError?.(err, name);
      return new MongoCommandError('InternalError', `${name}: ${(err as Error).message}`, {}, err).toReply();
    }
    return toCommandError(err).toReply();
  };
  try {
    // Transactions would need snapshot isolation and rollback; refuse them rather than fake them.
    // Not IllegalOperation (20): the driver rewrites 20 on a write as "retryable writes unsupported".
    if (ctx.cmd.startTransaction === true || ctx.cmd.autocommit === false || TRANSACTION_COMMANDS.has(name)) {
      throw new MongoCommandError(
        'OperationNotSupportedInTransaction',
        'Transactions are not supported by the in-memory test server',
      );
    }
    refuseUnsupportedOptions(name, ctx.cmd);
    const handler = Object.hasOwn(commands, name) ? commands[name] : undefined;
    if (!handler) throw new MongoCommandError('CommandNotFound', `no such command: '${name}'`);
    const reply = handler(ctx);
    return reply instanceof Promise ? reply.catch(fail) : reply;
  } catch (err) {
    return fail(err);
  }
}

// Options that would change results if ignored: refuse them loudly instead of answering wrongly.
const UNSUPPORTED_CREATE = [
  'viewOn',
  'pipeline',
  'timeseries',
  'clusteredIndex',
  'validator',
  'changeStreamPreAndPostImages',
  'encryptedFields',
];

function refuseUnsupportedOptions(name: string, cmd: Document): void {
  if (cmd.collation !== undefined || [cmd.updates, cmd.deletes, cmd.indexes].some(hasCollation)) {
    throw new MongoCommandError(
      'CommandNotSupported',
      `${name}: collation is not supported by the in-memory test server`,
    );
  }
  if (name === 'create') {
    const bad = UNSUPPORTED_CREATE.find((o) => cmd[o] !== undefined);
    if (bad)
      throw new MongoCommandError(
        'CommandNotSupported',
        `create: option '${bad}' is not supported by the in-memory test server`,
      );
  }
}

function hasCollation(statements: unknown): boolean {
  if (!Array.isArray(statements)) return false;
  for (const s of statements) if (s && typeof s === 'object' && s.collation !== undefined) return true;
  return false;
}

export function supportedCommands(): string[] {
  return Object.keys(commands).sort();
}
