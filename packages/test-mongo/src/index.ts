export { default as globalSetup } from './global-setup.ts';
export {
  describeMongo,
  dockerReachable,
  type MongoKind,
  type ResolvedMongo,
  type ResolveOptions,
  resolveMongo,
} from './resolve.ts';
export { type TestMongo, type UseTestMongoOptions, useTestMongo } from './use-test-mongo.ts';
