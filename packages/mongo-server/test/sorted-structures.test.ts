import { Long, MaxKey, MinKey, ObjectId } from 'bson';
import { describe, expect, it } from 'vitest';
import { compareBson } from '../src/bson-order.ts';
import { SortedList } from '../src/sorted-list.ts';

describe('BSON order', () => {
  it('orders types as MongoDB does', () => {
    const ordered = [
      new MinKey(),
      null,
      -1,
      Long.fromNumber(2),
      2.5,
      'a',
      'b',
      { a: 1 },
      [1],
      new ObjectId('000000000000000000000001'),
      new ObjectId('000000000000000000000002'),
      false,
      true,
      new Date(0),
      new Date(1),
      /x/,
      new MaxKey(),
    ];
    const shuffled = [...ordered].reverse();
    shuffled.sort(compareBson);
    expect(shuffled).toEqual(ordered);
  });

  it('compares embedded documents field by field, key order included', () => {
    expect(compareBson({ a: 1, b: 2 }, { a: 1, b: 2 })).toBe(0);
    expect(compareBson({ a: 1, b: 2 }, { b: 2, a: 1 })).not.toBe(0);
    expect(compareBson(1, 1.0)).toBe(0);
  });
});

describe('SortedList', () => {
  it('stays sorted through random inserts and removals across many chunks', () => {
    const list = new SortedList<number>((a, b) => a - b);
    const mirror: number[] = [];
    let s = 7;
    const rnd = () => {
      s = (s * 48271) % 2147483647;
      return s;
    };
    for (let i = 0; i < 20_000; i++) {
      const v = rnd() % 5000;
      if (i % 3 === 2 && mirror.length > 0) {
        const x = mirror[rnd() % mirror.length]!;
        expect(list.remove(x)).toBe(true);
        mirror.splice(mirror.indexOf(x), 1);
      } else {
        list.insert(v);
        mirror.push(v);
      }
    }
    mirror.sort((a, b) => a - b);
    expect([...list.forward()]).toEqual(mirror);
    expect([...list.backward()]).toEqual([...mirror].reverse());
    expect(list.size).toBe(mirror.length);
    expect(list.remove(-1)).toBe(false);
  });

  it('seeks to the first item at or after a bound, forwards and backwards', () => {
    const list = new SortedList<number>((a, b) => a - b);
    for (let i = 0; i < 1000; i++) list.insert(i * 2);
    const at = list.locate(501);
    expect([...list.forward(at)].slice(0, 3)).toEqual([502, 504, 506]);
    expect([...list.backward(at)].slice(0, 3)).toEqual([500, 498, 496]);
    // At an item present: `strict` steps over it (and its equals).
    expect([...list.forward(list.locate(502))][0]).toBe(502);
    expect([...list.forward(list.locate(502, true))][0]).toBe(504);
    expect([...list.forward(list.locate(5000))]).toEqual([]);
    expect([...list.forward(list.locate(-1))][0]).toBe(0);
  });
});
