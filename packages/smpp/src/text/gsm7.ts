import { codeUnitsToString } from './code-units.ts';
import { SmppEncodingError } from './errors.ts';

/**
 * GSM 03.38 / 3GPP TS 23.038 §6.2.1 default alphabet, indexed by septet. Position 0x1B is the escape
 * to the extension table; it decodes to nothing by itself.
 */
export const GSM7_BASIC_TABLE =
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞ\x1bÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?' +
  '¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';

/** 3GPP TS 23.038 §6.2.1.1 default extension table: septet after ESC (0x1B) -> character. */
export const GSM7_EXTENSION_TABLE: ReadonlyMap<number, string> = new Map([
  [0x0a, '\f'],
  [0x14, '^'],
  [0x28, '{'],
  [0x29, '}'],
  [0x2f, '\\'],
  [0x3c, '['],
  [0x3d, '~'],
  [0x3e, ']'],
  [0x40, '|'],
  [0x65, '€'],
]);

/** The escape septet that announces an extension-table character. */
export const GSM7_ESCAPE = 0x1b;

const NONE = -1;
/** Encoding lookup: value < 0x80 is a basic septet, 0x100 | s is ESC + s. */
const ENCODE_LOW = new Int16Array(256).fill(NONE);
const ENCODE_HIGH = new Map<number, number>();
const DECODE_BASIC = new Uint16Array(128);
const DECODE_EXT = new Uint16Array(128);

for (let s = 0; s < 128; s++) {
  const c = GSM7_BASIC_TABLE.charCodeAt(s);
  DECODE_BASIC[s] = c;
  if (s === GSM7_ESCAPE) continue;
  if (c < 256) ENCODE_LOW[c] = s;
  else ENCODE_HIGH.set(c, s);
}
for (const [s, ch] of GSM7_EXTENSION_TABLE) {
  const c = ch.charCodeAt(0);
  DECODE_EXT[s] = c;
  if (c < 256) ENCODE_LOW[c] = 0x100 | s;
  else ENCODE_HIGH.set(c, 0x100 | s);
}
// 23.038 §6.2.1.1: ESC ESC is reserved for a further extension table; receivers show a space.
DECODE_EXT[GSM7_ESCAPE] = 0x20;

function lookup(code: number): number {
  return code < 256 ? ENCODE_LOW[code]! : (ENCODE_HIGH.get(code) ?? NONE);
}

/** Septets one UTF-16 code unit needs: 1 (default table), 2 (extension table) or 0 (not in GSM 7-bit). */
export function gsm7CharSeptets(code: number): 0 | 1 | 2 {
  const v = lookup(code);
  return v === NONE ? 0 : v > 0xff ? 2 : 1;
}

/** Septets the text needs in GSM 7-bit, or -1 when a character is in neither table. */
export function gsm7Length(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const v = lookup(text.charCodeAt(i));
    if (v === NONE) return -1;
    n += v > 0xff ? 2 : 1;
  }
  return n;
}

/** True when every character of the text is in the default or the extension table. */
export function isGsm7(text: string): boolean {
  return gsm7Length(text) >= 0;
}

export interface EncodeOptions {
  /**
   * What to do with a character the encoding cannot carry: throw `SmppEncodingError` (default) or
   * write `replacement` instead. A surrogate pair counts as one character.
   */
  onUnencodable?: 'throw' | 'replace';
  /** Used with `onUnencodable: 'replace'`; must itself be encodable. Default `'?'`. */
  replacement?: string;
}

function unencodable(text: string, i: number, encoding: string): SmppEncodingError {
  const cp = text.codePointAt(i) ?? 0;
  const hex = cp.toString(16).toUpperCase().padStart(4, '0');
  return new SmppEncodingError(`character U+${hex} at index ${i} cannot be encoded in ${encoding}`, i);
}

/** True when the code unit at i is a high surrogate followed by a low one (one character, two units). */
export function isSurrogatePairAt(text: string, i: number): boolean {
  const c = text.charCodeAt(i);
  if (c < 0xd800 || c > 0xdbff) return false;
  const d = text.charCodeAt(i + 1);
  return d >= 0xdc00 && d <= 0xdfff;
}

/** Text to unpacked septets, one per octet (the usual form of data_coding 0 in short_message). */
export function encodeGsm7(text: string, options: EncodeOptions = {}): Buffer {
  const replace = options.onUnencodable === 'replace';
  let repl: number[] = [];
  if (replace) {
    const r = options.replacement ?? '?';
    repl = [...encodeGsm7(r)];
  }
  // First pass sizes the buffer exactly, second fills it: no growth, no per-char strings.
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const v = lookup(text.charCodeAt(i));
    if (v !== NONE) n += v > 0xff ? 2 : 1;
    else if (!replace) throw unencodable(text, i, 'GSM 7-bit');
    else {
      n += repl.length;
      if (isSurrogatePairAt(text, i)) i++;
    }
  }
  const out = Buffer.allocUnsafe(n);
  let o = 0;
  for (let i = 0; i < text.length; i++) {
    const v = lookup(text.charCodeAt(i));
    if (v === NONE) {
      for (const s of repl) out[o++] = s;
      if (isSurrogatePairAt(text, i)) i++;
    } else if (v > 0xff) {
      out[o++] = GSM7_ESCAPE;
      out[o++] = v & 0x7f;
    } else out[o++] = v;
  }
  return out;
}

/**
 * Unpacked septets to text. ESC followed by a septet not in the extension table shows the default
 * table's character (23.038 §6.2.1.1); a trailing lone ESC is dropped; octets above 0x7F, which
 * are not septets, become U+FFFD.
 */
export function decodeGsm7(septets: Uint8Array): string {
  const units = new Uint16Array(septets.length);
  let n = 0;
  for (let i = 0; i < septets.length; i++) {
    const s = septets[i]!;
    if (s > 0x7f) units[n++] = 0xfffd;
    else if (s !== GSM7_ESCAPE) units[n++] = DECODE_BASIC[s]!;
    else if (i + 1 < septets.length) {
      const e = septets[++i]!;
      if (e > 0x7f) units[n++] = 0xfffd;
      else units[n++] = DECODE_EXT[e] || DECODE_BASIC[e]!;
    }
  }
  return codeUnitsToString(units, n);
}

/**
 * Fill bits between a user data header of `udhLength` octets (UDHL included) and the first septet,
 * so that the text starts on a septet boundary (3GPP TS 23.040 §9.2.3.24).
 */
export function gsm7FillBits(udhLength: number): number {
  return (7 - ((udhLength * 8) % 7)) % 7;
}

/** Septets that fit in `octets` octets after `fillBits` fill bits. */
export function septetsInOctets(octets: number, fillBits = 0): number {
  return Math.max(0, Math.floor((octets * 8 - fillBits) / 7));
}

/** Octets taken by `septets` packed septets after `fillBits` fill bits. */
export function packedLength(septets: number, fillBits = 0): number {
  return septets === 0 ? 0 : Math.ceil((septets * 7 + fillBits) / 8);
}

function checkFill(fillBits: number): void {
  if (!Number.isInteger(fillBits) || fillBits < 0 || fillBits > 6) {
    throw new RangeError(`fillBits must be an integer 0-6, got ${fillBits}`);
  }
}

/**
 * What fills the 7 spare bits left when the packed septets end one bit into an octet. 23.038
 * §6.1.2.3.1 asks for CR so that a reader without a septet count does not see an extra '@'; SMPP
 * carries octet lengths only, so CR is the default here. Some peers pad with zeros.
 */
export type Gsm7Padding = 'cr' | 'zero';

const CR = 0x0d;

/**
 * Packs septets into octets, least significant bit first (23.038 §6.1.2.1.1). `fillBits` zero bits
 * come first, so the result can follow a UDH of the matching length.
 */
export function packGsm7(septets: Uint8Array, fillBits = 0, padding: Gsm7Padding = 'cr'): Buffer {
  checkFill(fillBits);
  const out = Buffer.alloc(packedLength(septets.length, fillBits));
  let acc = 0;
  let bits = fillBits;
  let o = 0;
  for (let i = 0; i < septets.length; i++) {
    acc |= (septets[i]! & 0x7f) << bits;
    bits += 7;
    if (bits >= 8) {
      out[o++] = acc & 0xff;
      acc >>>= 8;
      bits -= 8;
    }
  }
  if (bits === 1 && padding === 'cr' && septets.length > 0) acc |= CR << 1;
  if (bits > 0) out[o] = acc & 0xff;
  return out;
}

export interface UnpackOptions {
  /** Fill bits to skip first (after a UDH). Default 0. */
  fillBits?: number;
  /**
   * How many septets there are. Without it, every whole septet is read, and when the bits divide
   * exactly into septets the last one may be 7 bits of padding (23.038 §6.1.2.3.1): it is dropped
   * when it is the `padding` character. Pass the count to be exact.
   */
  septets?: number;
  /** The padding the sender uses, see `Gsm7Padding`. Default `'cr'`. */
  padding?: Gsm7Padding;
}

/** Packed octets back to septets, one per octet. */
export function unpackGsm7(packed: Uint8Array, options: UnpackOptions = {}): Buffer {
  const fillBits = options.fillBits ?? 0;
  checkFill(fillBits);
  const max = septetsInOctets(packed.length, fillBits);
  let count = options.septets ?? max;
  if (count > max) count = max;
  const out = Buffer.allocUnsafe(count);
  let acc = 0;
  let bits = 0;
  let p = 0;
  let skip = fillBits;
  for (let i = 0; i < count; i++) {
    while (bits < 7 + skip) {
      acc |= packed[p++]! << bits;
      bits += 8;
    }
    if (skip) {
      acc >>>= skip;
      bits -= skip;
      skip = 0;
    }
    out[i] = acc & 0x7f;
    acc >>>= 7;
    bits -= 7;
  }
  if (options.septets === undefined && count > 0 && (packed.length * 8 - fillBits) % 7 === 0) {
    const pad = options.padding === 'zero' ? 0 : CR;
    if (out[count - 1] === pad) return out.subarray(0, count - 1);
  }
  return out;
}

/** Text to packed GSM 7-bit, after `fillBits` fill bits. */
export function encodeGsm7Packed(
  text: string,
  options: EncodeOptions & { fillBits?: number; padding?: Gsm7Padding } = {},
): Buffer {
  return packGsm7(encodeGsm7(text, options), options.fillBits ?? 0, options.padding ?? 'cr');
}

/** Packed GSM 7-bit to text. */
export function decodeGsm7Packed(packed: Uint8Array, options: UnpackOptions = {}): string {
  return decodeGsm7(unpackGsm7(packed, options));
}
