import { describeDataCoding } from './data-coding.ts';
import { SmppUdhError } from './errors.ts';
import type { Gsm7Padding } from './gsm7.ts';
import { gsm7FillBits, unpackGsm7 } from './gsm7.ts';
import { ESM_CLASS_UDHI } from './split.ts';
import type { InformationElement, PortInfo } from './udh.ts';
import { Iei, parseUdh } from './udh.ts';

/** The fields of a received submit_sm / deliver_sm / data_sm that reassembly looks at. */
export interface ReceivedPart {
  source: string;
  destination: string;
  esmClass: number;
  dataCoding: number;
  shortMessage: Uint8Array;
  tlvs?: {
    sarMsgRefNum?: number;
    sarTotalSegments?: number;
    sarSegmentSeqnum?: number;
    messagePayload?: Uint8Array;
  };
}

export type ConcatKind = 'udh8' | 'udh16' | 'sar' | 'none';

export interface ReassembledMessage {
  source: string;
  destination: string;
  /** data_coding of part 1. */
  dataCoding: number;
  /** esm_class of part 1. */
  esmClass: number;
  /** The content without headers, parts in order (unpacked septets if `gsm7Packed` applied). */
  payload: Buffer;
  /** UDH elements of part 1 other than concatenation (ports, unknown ones), in order. */
  elements: InformationElement[];
  ports?: PortInfo;
  kind: ConcatKind;
  reference?: number;
  total: number;
}

export type ReassemblyResult =
  | { status: 'complete'; message: ReassembledMessage }
  | { status: 'pending'; received: number; total: number }
  | { status: 'duplicate'; received: number; total: number }
  | { status: 'invalid'; error: SmppUdhError };

export interface EvictedSet {
  source: string;
  destination: string;
  kind: ConcatKind;
  reference: number;
  total: number;
  /** 1-based sequence numbers that had arrived. */
  received: number[];
  reason: 'expired' | 'overflow';
}

export interface ReassemblerOptions {
  /** Drop an incomplete set this long after its first part arrived. Default 300000 (5 minutes). */
  timeoutMs?: number;
  /** Most incomplete sets kept; the oldest goes first. Default 10000. */
  maxSets?: number;
  /** Most content octets kept across incomplete sets; the oldest go first. Default 16 MiB. */
  maxBytes?: number;
  /** Clock in milliseconds, injectable for tests. Default `Date.now`. */
  now?: () => number;
  /** Called for each set dropped incomplete (to log it or deliver it partially). */
  onEvict?: (set: EvictedSet) => void;
  /**
   * GSM 7-bit parts arrive packed: unpack each one (after its UDH fill bits) so the reassembled
   * payload is unpacked septets. Default false (SMPP peers send one septet per octet).
   */
  gsm7Packed?: boolean;
  /** Padding the packing peer uses in 7 spare bits (see `Gsm7Padding`). Default `'cr'`. */
  gsm7Padding?: Gsm7Padding;
}

interface PartialSet {
  key: string;
  source: string;
  destination: string;
  kind: ConcatKind;
  reference: number;
  total: number;
  firstAt: number;
  parts: (Buffer | undefined)[];
  received: number;
  bytes: number;
  head?: Omit<ReassembledMessage, 'payload' | 'kind' | 'reference' | 'total'>;
}

interface Classified {
  kind: ConcatKind;
  reference: number;
  total: number;
  sequence: number;
  payload: Buffer;
  head: Omit<ReassembledMessage, 'payload' | 'kind' | 'reference' | 'total'>;
}

function content(part: ReceivedPart): Uint8Array {
  const payload = part.tlvs?.messagePayload;
  return part.shortMessage.length === 0 && payload ? payload : part.shortMessage;
}

/**
 * Joins the parts of concatenated messages, whether marked by a UDH (IEI 0x00 / 0x08) in the content
 * with UDHI set, or by SAR TLVs (SMPP 3.4 §5.3.2.22-24). Parts are keyed by (source, destination,
 * method, reference, total), may arrive in any order, duplicates are ignored, and incomplete sets are
 * dropped by age, count and size so memory stays bounded. State is in memory: all parts of a
 * message must reach the same instance. A part that arrives after its set completed starts a new set,
 * which ages out (`onEvict` sees it).
 */
export class Reassembler {
  readonly #sets = new Map<string, PartialSet>();
  readonly #timeoutMs: number;
  readonly #maxSets: number;
  readonly #maxBytes: number;
  readonly #now: () => number;
  readonly #onEvict: ((set: EvictedSet) => void) | undefined;
  readonly #packed: boolean;
  readonly #padding: Gsm7Padding;
  #bytes = 0;

  constructor(options: ReassemblerOptions = {}) {
    this.#timeoutMs = options.timeoutMs ?? 300_000;
    this.#maxSets = options.maxSets ?? 10_000;
    this.#maxBytes = options.maxBytes ?? 16 * 1024 * 1024;
    this.#now = options.now ?? Date.now;
    this.#onEvict = options.onEvict;
    this.#packed = options.gsm7Packed ?? false;
    this.#padding = options.gsm7Padding ?? 'cr';
  }

  /** Incomplete sets held. */
  get size(): number {
    return this.#sets.size;
  }

  /** Content octets held in incomplete sets. */
  get bytes(): number {
    return this.#bytes;
  }

  /** Takes one received part; returns the whole message once every part is in. */
  accept(part: ReceivedPart): ReassemblyResult {
    this.evictExpired();
    let c: Classified;
    try {
      c = this.#classify(part);
    } catch (error) {
      if (error instanceof SmppUdhError) return { status: 'invalid', error };
      throw error;
    }
    if (c.kind === 'none' || c.total === 1) {
      const message: ReassembledMessage = {
        ...c.head,
        payload: Buffer.from(c.payload),
        kind: c.kind,
        total: 1,
      };
      if (c.kind !== 'none') message.reference = c.reference;
      return { status: 'complete', message };
    }
    const key = [c.kind, part.source, part.destination, c.reference, c.total].join('\u0000');
    let set = this.#sets.get(key);
    if (!set) {
      set = {
        key,
        source: part.source,
        destination: part.destination,
        kind: c.kind,
        reference: c.reference,
        total: c.total,
        firstAt: this.#now(),
        parts: new Array(c.total),
        received: 0,
        bytes: 0,
      };
      this.#sets.set(key, set);
    }
    if (set.parts[c.sequence - 1]) return { status: 'duplicate', received: set.received, total: set.total };
    // Copy: the part may be a view into a large frame that would otherwise stay alive.
    const copy = Buffer.from(c.payload);
    set.parts[c.sequence - 1] = copy;
    set.received++;
    set.bytes += copy.length;
    this.#bytes += copy.length;
    if (c.sequence === 1 || !set.head) set.head = c.head;
    if (set.received === set.total) {
      this.#remove(set);
      const payload = Buffer.concat(set.parts as Buffer[]);
      return {
        status: 'complete',
        message: { ...set.head!, payload, kind: set.kind, reference: set.reference, total: set.total },
      };
    }
    this.#enforceLimits(set);
    return { status: 'pending', received: set.received, total: set.total };
  }

  /** Drops sets older than the timeout; also runs on every `accept`. Returns what it dropped. */
  evictExpired(): EvictedSet[] {
    const now = this.#now();
    const evicted: EvictedSet[] = [];
    // Map order is arrival order of each set's first part, so the expired ones lead.
    for (const set of this.#sets.values()) {
      if (now - set.firstAt < this.#timeoutMs) break;
      evicted.push(this.#evict(set, 'expired'));
    }
    return evicted;
  }

  /** Forgets every incomplete set without calling `onEvict`. */
  clear(): void {
    this.#sets.clear();
    this.#bytes = 0;
  }

  #enforceLimits(current: PartialSet): void {
    for (const set of this.#sets.values()) {
      if (this.#sets.size <= this.#maxSets && this.#bytes <= this.#maxBytes) break;
      // The set just added to stays: evicting it would contradict the 'pending' answer.
      if (set === current) continue;
      this.#evict(set, 'overflow');
    }
  }

  #remove(set: PartialSet): void {
    this.#sets.delete(set.key);
    this.#bytes -= set.bytes;
  }

  #evict(set: PartialSet, reason: EvictedSet['reason']): EvictedSet {
    this.#remove(set);
    const received: number[] = [];
    set.parts.forEach((p, i) => {
      if (p) received.push(i + 1);
    });
    const evicted: EvictedSet = {
      source: set.source,
      destination: set.destination,
      kind: set.kind,
      reference: set.reference,
      total: set.total,
      received,
      reason,
    };
    this.#onEvict?.(evicted);
    return evicted;
  }

  #classify(part: ReceivedPart): Classified {
    const data = content(part);
    const head = {
      source: part.source,
      destination: part.destination,
      dataCoding: part.dataCoding,
      esmClass: part.esmClass,
      elements: [] as InformationElement[],
    } as Classified['head'];
    const packed = this.#packed && describeDataCoding(part.dataCoding).encoding === 'gsm7';
    if (part.esmClass & ESM_CLASS_UDHI) {
      const parsed = parseUdh(data);
      head.elements = parsed.udh.elements.filter((e) => e.iei !== Iei.concat8 && e.iei !== Iei.concat16);
      if (parsed.udh.ports) head.ports = parsed.udh.ports;
      const payload = packed
        ? unpackGsm7(parsed.payload, { fillBits: gsm7FillBits(parsed.udhLength), padding: this.#padding })
        : parsed.payload;
      const concat = parsed.udh.concat;
      if (concat) {
        return {
          kind: concat.referenceBits === 8 ? 'udh8' : 'udh16',
          reference: concat.reference,
          total: concat.total,
          sequence: concat.sequence,
          payload,
          head,
        };
      }
      return { kind: 'none', reference: 0, total: 1, sequence: 1, payload, head };
    }
    const payload = packed
      ? unpackGsm7(data, { padding: this.#padding })
      : Buffer.from(data.buffer, data.byteOffset, data.byteLength);
    const t = part.tlvs;
    const ref = t?.sarMsgRefNum;
    const total = t?.sarTotalSegments;
    const seq = t?.sarSegmentSeqnum;
    // SMPP 3.4 §5.3.2.22-24: all three together, sequence 1..total, total 1..255.
    if (
      ref !== undefined &&
      total !== undefined &&
      seq !== undefined &&
      total >= 1 &&
      seq >= 1 &&
      seq <= total
    ) {
      return { kind: 'sar', reference: ref, total, sequence: seq, payload, head };
    }
    return { kind: 'none', reference: 0, total: 1, sequence: 1, payload, head };
  }
}
