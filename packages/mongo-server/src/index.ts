export { Backend } from './backend.ts';
export { supportedCommands } from './dispatch.ts';
export { ErrorCodes, MongoCommandError } from './errors.ts';
export { type MongoServerHandle, type MongoServerOptions, startMongoServer } from './server.ts';
export {
  type MongoServerThread,
  type MongoServerThreadOptions,
  startMongoServerThread,
  type ThreadLoopStats,
} from './thread.ts';
