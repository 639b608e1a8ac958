import { describe, expect, it } from 'vitest';
import { ChangeLog } from '../src/change-log.ts';

describe('ChangeLog', () => {
  it('records from the first change stream on: no one can ask for earlier writes', () => {
    const log = new ChangeLog();
    log.append({ kind: 'insert', db: 'd', coll: 'c', documentKey: { _id: 1 }, fullDocument: { _id: 1 } });
    expect(log.recording).toBe(false);
    expect([...log.after(0)]).toEqual([]);
    log.record();
    const from = log.lastSeq;
    log.append({ kind: 'delete', db: 'd', coll: 'c', documentKey: { _id: 1 } });
    expect([...log.after(from)].map((e) => e.kind)).toEqual(['delete']);
  });
});
