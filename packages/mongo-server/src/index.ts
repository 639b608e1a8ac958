export { Backend } from './backend.ts';
export { supportedCommands } from './dispatch.ts';
export { ErrorCodes, MongoCommandError } from './errors.ts';
export { type ProcessServerOptions, startMongoServerProcess } from './process.ts';
export type { LoopStats, RemoteServer, RemoteServerOptions } from './remote.ts';
export { type MongoServerHandle, type MongoServerOptions, startMongoServer } from './server.ts';
export { startMongoServerThread } from './thread.ts';
