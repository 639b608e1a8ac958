import { Query } from 'mingo';
import { MongoCommandError } from './errors.ts';
import { compileFastFilter } from './fast-matcher.ts';
import type { Document } from './wire.ts';

export type Matcher = (doc: Document) => boolean;

const always: Matcher = () => true;

/** Compiles a query filter with mingo; a malformed filter is BadValue as on MongoDB. */
export function compileFilter(filter: Document | undefined): Matcher {
  if (!filter || Object.keys(filter).length === 0) return always;
  const fast = compileFastFilter(filter);
  if (fast) return fast;
  let q: Query;
  try {
    q = new Query(filter, {});
  } catch (err) {
    throw new MongoCommandError('BadValue', (err as Error).message, {}, err);
  }
  return (doc) => q.test(doc);
}

/** Applies a find projection through mingo (inclusion, exclusion, $slice, $elemMatch). */
export function project(docs: Document[], projection: Document | undefined): Document[] {
  if (!projection || Object.keys(projection).length === 0 || docs.length === 0) return docs;
  try {
    return new Query({}, {}).find<Document>(docs, projection).all();
  } catch (err) {
    throw new MongoCommandError('BadValue', (err as Error).message, {}, err);
  }
}
