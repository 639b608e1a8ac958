/** Turns UTF-16 code units into a string in chunks, so decoders never concatenate per character. */
const CHUNK = 8192;

export function codeUnitsToString(units: Uint16Array, length: number): string {
  if (length <= CHUNK)
    return String.fromCharCode.apply(null, units.subarray(0, length) as unknown as number[]);
  const parts: string[] = [];
  for (let i = 0; i < length; i += CHUNK) {
    const end = Math.min(i + CHUNK, length);
    parts.push(String.fromCharCode.apply(null, units.subarray(i, end) as unknown as number[]));
  }
  return parts.join('');
}
