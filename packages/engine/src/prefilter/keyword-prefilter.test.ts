import { describe, expect, it } from "vitest";
import { KeywordPrefilter } from "./keyword-prefilter.js";

function hits(keywords: string[], text: string): Array<[string, number]> {
  const out: Array<[string, number]> = [];
  new KeywordPrefilter(keywords).scan(Buffer.from(text), (k, offset) => out.push([keywords[k]!, offset]));
  return out.sort((a, b) => a[1] - b[1] || a[0].localeCompare(b[0]));
}

describe("KeywordPrefilter", () => {
  it("finds every occurrence of every keyword, case-insensitively, with its start offset", () => {
    expect(hits(["ghp_", "xoxb-", "AKIA"], "a ghp_1 GHP_2 akiaXOXB-")).toEqual([
      ["ghp_", 2],
      ["ghp_", 8],
      ["AKIA", 14],
      ["xoxb-", 18],
    ]);
  });

  it("reports overlapping keywords and keywords that are suffixes of others", () => {
    expect(hits(["secret", "client_secret", "ret"], "client_secret")).toEqual([
      ["client_secret", 0],
      ["secret", 7],
      ["ret", 10],
    ]);
    expect(hits(["aaa"], "aaaa")).toEqual([
      ["aaa", 0],
      ["aaa", 1],
    ]);
  });

  it("handles non-ASCII bytes and rejects keywords under 3 bytes", () => {
    expect(hits(["café"], "un café")).toEqual([["café", 3]]);
    expect(() => new KeywordPrefilter(["ab"])).toThrow(RangeError);
  });
});
