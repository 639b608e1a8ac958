import type { Collection, Db, Document } from 'mongodb';
import type { CorrelationRecord, LockRecord, SmsEvent, SmsRecord } from './records.ts';

export const CollectionName = {
  sms: 'sms',
  locks: 'locks',
  events: 'events',
  correlations: 'correlations',
  accounts: 'accounts',
  routes: 'routes',
  connectors: 'connectors',
  /** One document, `{_id: 'schema', version}`: what `migrate` last brought the database to. */
  migrations: 'migrations',
} as const;

export type Collections = {
  sms: Collection<SmsRecord>;
  locks: Collection<LockRecord>;
  events: Collection<SmsEvent>;
  correlations: Collection<CorrelationRecord>;
  accounts: Collection<Document>;
  routes: Collection<Document>;
  connectors: Collection<Document>;
  migrations: Collection<{ _id: string; version: number; appliedAt: Date }>;
};

export function collections(db: Db): Collections {
  return {
    sms: db.collection<SmsRecord>(CollectionName.sms),
    locks: db.collection<LockRecord>(CollectionName.locks),
    events: db.collection<SmsEvent>(CollectionName.events),
    correlations: db.collection<CorrelationRecord>(CollectionName.correlations),
    accounts: db.collection(CollectionName.accounts),
    routes: db.collection(CollectionName.routes),
    connectors: db.collection(CollectionName.connectors),
    migrations: db.collection(CollectionName.migrations),
  };
}
