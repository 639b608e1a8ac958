import { startMongoServer } from '@smsc/mongo-server';
import { MongoClient } from 'mongodb';
import { describe, expect, it } from 'vitest';
import { createStore, type TailItem } from '../src/index.ts';

describe('event tailing across a server restart', () => {
  it('re-opens after the connection drops, signals a gap, and goes on with the new server', async () => {
    // Its own server (not the shared one): the test stops it.
    let server = await startMongoServer({ replicaSet: false });
    const port = server.port;
    const client = new MongoClient(server.uri, { serverSelectionTimeoutMS: 3000, heartbeatFrequencyMS: 500 });
    const ac = new AbortController();
    try {
      await client.connect();
      const store = createStore({ db: client.db('tail_reconnect') });
      await store.migrate();
      const it = store.tailEvents({ signal: ac.signal, maxAwaitTimeMS: 100, retryDelayMs: 50 });
      expect((await it.next()).value).toEqual({ kind: 'gap', reason: 'opened' });
      await store.appendEvents([{ type: 'before', at: new Date() }]);
      expect((await it.next()).value).toMatchObject({ kind: 'event', event: { type: 'before' } });

      const pending = it.next();
      await server.close();
      server = await startMongoServer({ port, replicaSet: false });
      await store.migrate();
      expect((await pending).value).toEqual({ kind: 'gap', reason: 'opened' });
      // The feed may need a few re-opens while the driver reconnects; bounded.
      let found = false;
      const appended = store.appendEvents([{ type: 'after', at: new Date() }]);
      for (let i = 0; i < 50 && !found; i += 1) {
        const item: TailItem | undefined = (await it.next()).value ?? undefined;
        if (item?.kind === 'event' && item.event.type === 'after') found = true;
      }
      await appended;
      expect(found).toBe(true);
      ac.abort();
      await it.return(undefined);
    } finally {
      ac.abort();
      await client.close();
      await server.close();
    }
  }, 20_000);
});
