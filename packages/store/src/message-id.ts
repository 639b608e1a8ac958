import { randomInt } from 'node:crypto';
import type { Clock } from './clock.ts';

// Ids are the SMPP message_id we answer with: 10 characters of base36, safe for peers that keep
// message_id in a 10-13 byte column. 6 characters of seconds since 2024-01-01 (good until 2093),
// then a 4-character counter that starts at a random point each second, so ids sort by time and,
// within one process, by allocation order. Collisions across processes are caught by the unique
// `_id` index and retried by the caller.
const EPOCH_S = Date.UTC(2024, 0, 1) / 1000;
const COUNTER_SPACE = 36 ** 4;
const SECONDS_SPACE = 36 ** 6;

export type MessageIdGenerator = {
  next(): string;
  /** After a collision: jump to another random point so the next id is unlikely to collide again. */
  reseed(): void;
};

export function createMessageIdGenerator(
  now: Clock,
  random: (max: number) => number = randomInt,
): MessageIdGenerator {
  let second = -1;
  let counter = 0;
  return {
    next() {
      const s = Math.max(0, Math.floor(now().getTime() / 1000) - EPOCH_S) % SECONDS_SPACE;
      if (s > second) {
        second = s;
        counter = random(COUNTER_SPACE / 2);
      } else {
        counter += 1;
        if (counter >= COUNTER_SPACE) {
          // More than ~840k ids in one second: borrow the next second to stay monotonic.
          second += 1;
          counter = 0;
        }
      }
      return second.toString(36).padStart(6, '0') + counter.toString(36).padStart(4, '0');
    },
    reseed() {
      counter = random(COUNTER_SPACE / 2);
    },
  };
}
