/** How text is carried in short_message / message_payload. */
export type TextEncoding = 'gsm7' | 'gsm7-packed' | 'ascii' | 'latin1' | 'ucs2' | 'binary';

/** SMPP 3.4 §5.2.19 data_coding values. */
export const DataCoding = {
  smscDefault: 0x00,
  ia5: 0x01,
  octetUnspecified2: 0x02,
  latin1: 0x03,
  octetUnspecified: 0x04,
  jis: 0x05,
  cyrillic: 0x06,
  latinHebrew: 0x07,
  ucs2: 0x08,
  pictogram: 0x09,
  iso2022jp: 0x0a,
  extendedKanji: 0x0d,
  ksc5601: 0x0e,
} as const;

/** data_coding to send for an encoding. GSM 7-bit is the SMSC default (0) here. */
export function dataCodingFor(encoding: TextEncoding): number {
  switch (encoding) {
    case 'gsm7':
    case 'gsm7-packed':
      return DataCoding.smscDefault;
    case 'ascii':
      return DataCoding.ia5;
    case 'latin1':
      return DataCoding.latin1;
    case 'ucs2':
      return DataCoding.ucs2;
    case 'binary':
      return DataCoding.octetUnspecified;
  }
}

export interface DataCodingInfo {
  /** How to read the octets. `gsm7` means septets; whether they are packed is the caller's knowledge. */
  encoding: 'gsm7' | 'ascii' | 'latin1' | 'ucs2' | 'binary';
  /** A WHATWG encoding label to decode with instead (Cyrillic, Hebrew, ISO-2022-JP, KS C 5601). */
  charset?: string;
  /** 3GPP TS 23.038 §4 message class 0-3, when the value carries one. */
  messageClass?: number;
  /** 23.038 compressed groups: the octets cannot be read as text. */
  compressed?: boolean;
  /** False for values this library cannot turn into text (read as binary). */
  supported: boolean;
}

export interface DescribeOptions {
  /** What data_coding 0 (SMSC default alphabet) means on this link. Default `'gsm7'`. */
  smscDefault?: 'gsm7' | 'latin1' | 'ascii';
}

// 23.038 §4 general data coding: bits 3-2 name the alphabet.
function generalGroup(dc: number): DataCodingInfo {
  const compressed = (dc & 0x20) !== 0;
  const info: DataCodingInfo = { encoding: 'binary', supported: !compressed };
  const alphabet = (dc >> 2) & 0x03;
  if (!compressed) {
    if (alphabet === 0) info.encoding = 'gsm7';
    else if (alphabet === 2) info.encoding = 'ucs2';
    else if (alphabet === 3) info.supported = false;
  } else info.compressed = true;
  if (dc & 0x10) info.messageClass = dc & 0x03;
  return info;
}

/**
 * What a data_coding value means: SMPP 3.4 §5.2.19 for 0x00-0x0E, 3GPP TS 23.038 §4 coding groups
 * for the rest (0x10-0x7F general and automatic-deletion groups, 0xC0-0xEF message waiting,
 * 0xF0-0xFF data coding / message class).
 */
export function describeDataCoding(dataCoding: number, options: DescribeOptions = {}): DataCodingInfo {
  const dc = dataCoding & 0xff;
  switch (dc) {
    case DataCoding.smscDefault:
      return { encoding: options.smscDefault ?? 'gsm7', supported: true };
    case DataCoding.ia5:
      return { encoding: 'ascii', supported: true };
    case DataCoding.latin1:
      return { encoding: 'latin1', supported: true };
    case DataCoding.octetUnspecified:
    case DataCoding.octetUnspecified2:
      return { encoding: 'binary', supported: true };
    case DataCoding.ucs2:
      return { encoding: 'ucs2', supported: true };
    case DataCoding.cyrillic:
      return { encoding: 'binary', charset: 'iso-8859-5', supported: true };
    case DataCoding.latinHebrew:
      return { encoding: 'binary', charset: 'iso-8859-8', supported: true };
    case DataCoding.iso2022jp:
      return { encoding: 'binary', charset: 'iso-2022-jp', supported: true };
    case DataCoding.ksc5601:
      return { encoding: 'binary', charset: 'euc-kr', supported: true };
  }
  if (dc < 0x10) return { encoding: 'binary', supported: false };
  if (dc < 0x80) return generalGroup(dc & 0x3f);
  if (dc < 0xc0) return { encoding: 'binary', supported: false };
  if (dc < 0xe0) return { encoding: 'gsm7', supported: true };
  if (dc < 0xf0) return { encoding: 'ucs2', supported: true };
  // 0xF0-0xFF: bit 2 chooses 8-bit data over GSM 7-bit, bits 1-0 the class.
  return { encoding: dc & 0x04 ? 'binary' : 'gsm7', messageClass: dc & 0x03, supported: true };
}
