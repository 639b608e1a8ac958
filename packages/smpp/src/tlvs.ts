/**
 * The optional parameters (TLVs) of SMPP 3.4 §5.3.2, as one declarative table shared by the encoder
 * and the decoder. Names are the spec names in camelCase; lengths are value lengths in octets.
 */

/** How a TLV value is represented. */
export const TlvKind = {
  int1: 1,
  int2: 2,
  int4: 3,
  /** NUL-terminated ASCII; the TLV length counts the NUL (§5.3.2.11-12). */
  cstring: 4,
  octets: 5,
  /**
   * Presence only, no value (alert_on_message_delivery, §5.3.2.41): `true`. SMPP 5.0 peers (and
   * node-smpp) send one value octet instead (alert priority 0-3); that form decodes to the number
   * and encodes back the same way.
   */
  flag: 6,
  /** network_error_code: network type (1 octet) + error code (2 octets), §5.3.2.31. */
  networkErrorCode: 7,
  /** callback_num: digit mode, TON, NPI, then the digits (§5.3.2.36). */
  callbackNum: 8,
  /** callback_num_atag: data coding, then the display characters (§5.3.2.38). */
  callbackNumAtag: 9,
} as const;
export type TlvKind = (typeof TlvKind)[keyof typeof TlvKind];

export type TlvSpec = {
  readonly name: string;
  readonly tag: number;
  readonly kind: TlvKind;
  /** Value length bounds in octets (cstring: NUL included). Integers have fixed lengths. */
  readonly min: number;
  readonly max: number;
};

function def<const N extends string, const K extends TlvKind>(
  name: N,
  tag: number,
  kind: K,
  min?: number,
  max?: number,
): { name: N; tag: number; kind: K; min: number; max: number } {
  const fixed = kind === TlvKind.int1 ? 1 : kind === TlvKind.int2 ? 2 : kind === TlvKind.int4 ? 4 : -1;
  if (fixed > 0) return { name, tag, kind, min: fixed, max: fixed };
  if (kind === TlvKind.flag) return { name, tag, kind, min: 0, max: 1 };
  if (kind === TlvKind.networkErrorCode) return { name, tag, kind, min: 3, max: 3 };
  return { name, tag, kind, min: min ?? 0, max: max ?? 0xffff };
}

const K = TlvKind;

/** SMPP 3.4 §5.3.2, Table 5-3 (in tag order). */
export const tlvTable = [
  def('destAddrSubunit', 0x0005, K.int1), // §5.3.2.1
  def('destNetworkType', 0x0006, K.int1), // §5.3.2.3
  def('destBearerType', 0x0007, K.int1), // §5.3.2.5
  def('destTelematicsId', 0x0008, K.int2), // §5.3.2.7
  def('sourceAddrSubunit', 0x000d, K.int1), // §5.3.2.2
  def('sourceNetworkType', 0x000e, K.int1), // §5.3.2.4
  def('sourceBearerType', 0x000f, K.int1), // §5.3.2.6
  // §5.3.2.8: peers disagree on 1 or 2 octets; 2 like dest_telematics_id, as most stacks send.
  def('sourceTelematicsId', 0x0010, K.int2),
  def('qosTimeToLive', 0x0017, K.int4), // §5.3.2.9
  def('payloadType', 0x0019, K.int1), // §5.3.2.10
  def('additionalStatusInfoText', 0x001d, K.cstring, 1, 256), // §5.3.2.11
  def('receiptedMessageId', 0x001e, K.cstring, 1, 65), // §5.3.2.12
  def('msMsgWaitFacilities', 0x0030, K.int1), // §5.3.2.13
  def('privacyIndicator', 0x0201, K.int1), // §5.3.2.14
  def('sourceSubaddress', 0x0202, K.octets, 2, 23), // §5.3.2.15
  def('destSubaddress', 0x0203, K.octets, 2, 23), // §5.3.2.16
  def('userMessageReference', 0x0204, K.int2), // §5.3.2.17
  def('userResponseCode', 0x0205, K.int1), // §5.3.2.18
  def('sourcePort', 0x020a, K.int2), // §5.3.2.20
  def('destinationPort', 0x020b, K.int2), // §5.3.2.21
  def('sarMsgRefNum', 0x020c, K.int2), // §5.3.2.22
  def('languageIndicator', 0x020d, K.int1), // §5.3.2.19
  def('sarTotalSegments', 0x020e, K.int1), // §5.3.2.23
  def('sarSegmentSeqnum', 0x020f, K.int1), // §5.3.2.24
  def('scInterfaceVersion', 0x0210, K.int1), // §5.3.2.25
  def('callbackNumPresInd', 0x0302, K.int1), // §5.3.2.37
  def('callbackNumAtag', 0x0303, K.callbackNumAtag, 1, 65), // §5.3.2.38
  def('numberOfMessages', 0x0304, K.int1), // §5.3.2.39
  def('callbackNum', 0x0381, K.callbackNum, 4, 19), // §5.3.2.36
  def('dpfResult', 0x0420, K.int1), // §5.3.2.28
  def('setDpf', 0x0421, K.int1), // §5.3.2.29
  def('msAvailabilityStatus', 0x0422, K.int1), // §5.3.2.30
  def('networkErrorCode', 0x0423, K.networkErrorCode), // §5.3.2.31
  def('messagePayload', 0x0424, K.octets, 0, 0xffff), // §5.3.2.32
  def('deliveryFailureReason', 0x0425, K.int1), // §5.3.2.33
  def('moreMessagesToSend', 0x0426, K.int1), // §5.3.2.34
  def('messageState', 0x0427, K.int1), // §5.3.2.35
  def('ussdServiceOp', 0x0501, K.int1), // §5.3.2.44
  def('displayTime', 0x1201, K.int1), // §5.3.2.26
  def('smsSignal', 0x1203, K.int2), // §5.3.2.40
  def('msValidity', 0x1204, K.int1), // §5.3.2.27
  def('alertOnMessageDelivery', 0x130c, K.flag), // §5.3.2.41
  def('itsReplyType', 0x1380, K.int1), // §5.3.2.42
  // §5.3.2.43: session number octet + sequence/end-of-session octet, kept as the 2 raw octets.
  def('itsSessionInfo', 0x1383, K.octets, 2, 2),
] as const;

type TlvDef = (typeof tlvTable)[number];
export type TlvName = TlvDef['name'];

/** network_error_code (§5.3.2.31): network type (1 ANSI-136, 2 IS-95, 3 GSM, ...) and its error code. */
export type NetworkErrorCode = { networkType: number; errorCode: number };
/** callback_num (§5.3.2.36): digitModeIndicator 0 = TBCD, 1 = ASCII; the digits as ASCII text. */
export type CallbackNum = {
  digitModeIndicator: number;
  addrTon: number;
  addrNpi: number;
  numberDigits: string;
};
/** callback_num_atag (§5.3.2.38): data coding of the display characters, and those characters. */
export type CallbackNumAtag = { dataCoding: number; displayCharacters: Buffer };
/**
 * A TLV whose tag SMPP 3.4 does not define, kept byte-exactly. `position` is its index among all
 * the PDU's TLVs on the wire, set by the decoder only when known TLVs follow it, so that encoding
 * puts it back in place; without it, unknown TLVs are encoded after the known ones.
 */
export type UnknownTlv = { tag: number; value: Buffer; position?: number };

type ValueOf<Kd> = Kd extends typeof K.int1 | typeof K.int2 | typeof K.int4
  ? number
  : Kd extends typeof K.cstring
    ? string
    : Kd extends typeof K.octets
      ? Buffer
      : Kd extends typeof K.flag
        ? true | number
        : Kd extends typeof K.networkErrorCode
          ? NetworkErrorCode
          : Kd extends typeof K.callbackNum
            ? CallbackNum
            : Kd extends typeof K.callbackNumAtag
              ? CallbackNumAtag
              : never;

/**
 * Optional parameters of a PDU. Known TLVs are encoded in property order, then `unknown` in its
 * order (see UnknownTlv.position); a decoded PDU lists them in wire order.
 */
export type Tlvs = { [D in TlvDef as D['name']]?: ValueOf<D['kind']> } & { unknown?: UnknownTlv[] };

/** TLV specs by camelCase name. */
export const tlvByName: ReadonlyMap<string, TlvSpec> = new Map(tlvTable.map((t) => [t.name, t]));

/** Dense lookup from tag to spec; undefined for unknown tags. */
export const tlvByTag: readonly (TlvSpec | undefined)[] = (() => {
  const table: (TlvSpec | undefined)[] = new Array(0x10000).fill(undefined);
  for (const t of tlvTable) table[t.tag] = t;
  return table;
})();

/** The TLV tag of a name, e.g. `tlvTag('messagePayload') === 0x0424`. */
export function tlvTag(name: TlvName): number {
  return (tlvByName.get(name) as TlvSpec).tag;
}
