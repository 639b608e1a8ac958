import type { TestProject } from 'vitest/node';
import { describeMongo, type MongoKind, type ResolvedMongo, resolveMongo } from './resolve.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    smscMongoUri: string;
    smscMongoKind: MongoKind;
  }
}

// One MongoDB for the whole run, shared by every project that lists this file in `globalSetup`:
// vitest may load this module once per project, so the state lives on globalThis.
type Shared = { mongo: Promise<ResolvedMongo>; users: number };
const KEY = Symbol.for('@smsc/test-mongo.shared');
const holder = globalThis as { [KEY]?: Shared };

/** vitest globalSetup: resolves a MongoDB once and provides its URI to the project's tests. */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  let shared = holder[KEY];
  if (!shared) {
    shared = { mongo: resolveMongo(), users: 0 };
    holder[KEY] = shared;
    const m = await shared.mongo;
    process.stdout.write(`${describeMongo(m.kind, m.uri)}\n`);
  }
  shared.users++;
  const mongo = await shared.mongo;
  project.provide('smscMongoUri', mongo.uri);
  project.provide('smscMongoKind', mongo.kind);
  return async () => {
    const s = holder[KEY];
    if (!s) return;
    s.users--;
    if (s.users === 0) {
      delete holder[KEY];
      await mongo.stop();
    }
  };
}
