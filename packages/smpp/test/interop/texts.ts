/** The messages every interop test sends each way. */

import { ESM_CLASS_UDHI } from '../../src/text/split.ts';
import { decodeText } from '../../src/text/text-codec.ts';
import { parseUdh } from '../../src/text/udh.ts';

/** GSM 03.38 default alphabet with extension-table characters (escape sequences on the wire). */
export const GSM_TEXT = 'Hello @ Ärger! {curly} [square] €5 ~ ^ | \\ Ωmega';
/** UCS2 (data_coding 8) with Cyrillic, CJK and an emoji outside the BMP (a surrogate pair). */
export const UCS2_TEXT = 'Привет, 世界! 👋 ok';
/** Four GSM segments' worth (153 septets each with an 8-bit concatenation UDH). */
export const LONG_GSM_TEXT = Array.from({ length: 40 }, (_, i) => `part ${i} of a long message;`).join(' ');
/** A long UCS2 text with emoji that a naive split would cut in half. */
export const LONG_UCS2_TEXT = `${'Длинное сообщение 😀 '.repeat(12)}конец`;

export interface Part {
  text: string;
  concat?: { reference: number; total: number; sequence: number };
}

/** The text and concatenation info of one short_message as our side decodes it. */
export function decodePart(shortMessage: Buffer, dataCoding: number, esmClass: number): Part {
  const udh = (esmClass & ESM_CLASS_UDHI) !== 0;
  const text = decodeText(shortMessage, dataCoding, { udh });
  const concat = udh ? parseUdh(shortMessage).udh.concat : undefined;
  return concat ? { text, concat } : { text };
}

/** Joins parts by sequence after checking they form one complete message. */
export function joinParts(parts: Part[]): { text: string; reference: number | undefined; total: number } {
  const sorted = [...parts].sort((a, b) => (a.concat?.sequence ?? 0) - (b.concat?.sequence ?? 0));
  const refs = new Set(sorted.map((p) => p.concat?.reference));
  if (refs.size !== 1) throw new Error(`parts of different messages: ${[...refs].join(',')}`);
  sorted.forEach((p, i) => {
    if (p.concat && (p.concat.sequence !== i + 1 || p.concat.total !== sorted.length)) {
      throw new Error(`part ${i + 1}: ${JSON.stringify(p.concat)}`);
    }
  });
  return {
    text: sorted.map((p) => p.text).join(''),
    reference: sorted[0]?.concat?.reference,
    total: sorted.length,
  };
}
