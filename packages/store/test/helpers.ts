import type { Db, MongoClient } from 'mongodb';
import { createStore, type QueueInput, type Store, type StoreOptions } from '../src/index.ts';

export type FakeClock = { now: () => Date; advance(ms: number): void; set(at: Date): void };

export function fakeClock(start = new Date('2026-01-01T00:00:00Z')): FakeClock {
  let t = start.getTime();
  return {
    now: () => new Date(t),
    advance(ms) {
      t += ms;
    },
    set(at) {
      t = at.getTime();
    },
  };
}

export async function migratedStore(db: Db, options: Partial<StoreOptions> = {}): Promise<Store> {
  const store = createStore({ db, eventsSizeBytes: 1024 * 1024, ...options });
  await store.migrate();
  return store;
}

export function message(dest: string, overrides: Partial<QueueInput> = {}, text = 'hello'): QueueInput {
  return {
    payload: {
      source: { ton: 1, npi: 1, addr: '4915100000000' },
      destination: { ton: 1, npi: 1, addr: dest },
      shortMessage: Buffer.from(text),
    },
    target: 'smpp:up',
    accountId: 'acme',
    ...overrides,
  };
}

/** Runs `fn`, adding the name of each command it sends on `client` (made with monitorCommands) to `into`. */
export async function recordCommands<T>(
  client: MongoClient,
  into: string[],
  fn: () => Promise<T>,
): Promise<T> {
  const listen = (e: { commandName: string }) => into.push(e.commandName);
  client.on('commandStarted', listen);
  try {
    return await fn();
  } finally {
    client.off('commandStarted', listen);
  }
}
