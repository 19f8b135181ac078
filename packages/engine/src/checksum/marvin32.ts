/**
 * Marvin32, the seeded hash .NET uses for string hashing. Microsoft's
 * identifiable keys (Azure Functions `AzFu`, Storage `+ASt`, Cosmos DB `ACDb`,
 * …) end in a Marvin32 checksum of the key's other bytes, seeded per key kind,
 * so a key can be checked offline (microsoft/security-utilities documents the
 * seeds and layouts).
 */

const rotl = (x: number, n: number): number => ((x << n) | (x >>> (32 - n))) >>> 0;

/** The 64-bit Marvin hash as [p0, p1] (low, high words). */
function marvin(data: Uint8Array, seed: bigint): [number, number] {
  let p0 = Number(seed & 0xffffffffn) >>> 0;
  let p1 = Number((seed >> 32n) & 0xffffffffn) >>> 0;
  const block = (): void => {
    p1 = (p1 ^ p0) >>> 0;
    p0 = rotl(p0, 20);
    p0 = (p0 + p1) >>> 0;
    p1 = rotl(p1, 9);
    p1 = (p1 ^ p0) >>> 0;
    p0 = rotl(p0, 27);
    p0 = (p0 + p1) >>> 0;
    p1 = rotl(p1, 19);
  };
  const n = data.length;
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const word =
      ((data[i] ?? 0) | ((data[i + 1] ?? 0) << 8) | ((data[i + 2] ?? 0) << 16) | ((data[i + 3] ?? 0) << 24)) >>> 0;
    p0 = (p0 + word) >>> 0;
    block();
  }
  // The 0..3 trailing bytes, little-endian, followed by a 0x80 byte.
  let final = 0x80;
  for (let k = n - 1; k >= i; k--) final = ((final << 8) | (data[k] ?? 0)) >>> 0;
  p0 = (p0 + final) >>> 0;
  block();
  block();
  return [p0, p1];
}

/** Marvin's 64-bit hash as an unsigned bigint (high word first), for comparing with published vectors. */
export function marvin64(data: Uint8Array, seed: bigint): bigint {
  const [p0, p1] = marvin(data, seed);
  return (BigInt(p1) << 32n) | BigInt(p0);
}

/** Marvin's hash collapsed to 32 bits (`p1 ^ p0`), unsigned, as .NET's `ComputeHash32` returns it (bit for bit). */
export function marvin32(data: Uint8Array, seed: bigint): number {
  const [p0, p1] = marvin(data, seed);
  return (p1 ^ p0) >>> 0;
}
