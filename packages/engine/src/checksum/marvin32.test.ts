import { describe, expect, it } from "vitest";
import { marvin32, marvin64 } from "./marvin32.js";

// Published Marvin test vectors (the .NET runtime's and skeeto/marvin32's).
const SEED0 = 0x004fb61a001bdbccn;
const vectors: Array<[bigint, number[] | string, bigint]> = [
  [SEED0, [], 0x30ed35c100cd3c7dn],
  [SEED0, [0xaf], 0x48e73fc77d75ddc1n],
  [SEED0, [0xe7, 0x0f], 0xb5f6e1fc485dbff8n],
  [SEED0, [0x37, 0xf4, 0x95], 0xf0b07c789b8cf7e8n],
  [SEED0, [0x86, 0x42, 0xdc, 0x59], 0x7008f2e87e9cf556n],
  [SEED0, [0x15, 0x3f, 0xb7, 0x98, 0x26], 0xe6c08c6da2afa997n],
  [SEED0, [0x09, 0x32, 0xe6, 0x24, 0x6c, 0x47], 0x6f04bf1a5ea24060n],
  [SEED0, [0xab, 0x42, 0x7e, 0xa8, 0xd1, 0x0f, 0xc7], 0xe11847e4f0678c41n],
  [0xd53cd9cecd0893b7n, "abc", 0x22c74339492769bfn],
  [0xddddeeeeffff000n, "abcdefghijklmnopqrstuvwxyz", 0xa128eb7e7260aca2n],
];

describe("marvin32", () => {
  it.each(vectors.map(([seed, data, want], i) => [i, seed, data, want] as const))(
    "matches published vector %i",
    (_i, seed, data, want) => {
      const bytes = typeof data === "string" ? new TextEncoder().encode(data) : Uint8Array.from(data);
      expect(marvin64(bytes, seed).toString(16)).toBe(want.toString(16));
    },
  );

  it("collapses the 64-bit hash to 32 bits as .NET does", () => {
    expect(marvin32(new TextEncoder().encode("abc"), 0xd53cd9cecd0893b7n).toString(16)).toBe("6be02a86");
    expect(marvin32(new TextEncoder().encode("abcdefghijklmnopqrstuvwxyz"), 0xddddeeeeffff000n).toString(16)).toBe(
      "d34847dc",
    );
  });
});
