import { describe, expect, it } from "vitest";
import { ExampleRandom } from "../example-random.js";
import { KeywordPrefilter, MULTI_STREAM_MIN } from "./keyword-prefilter.js";

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

  it("finds every occurrence in long content, also across the points where its four walks meet", () => {
    // Long content is walked as four interleaved quarters: a keyword straddling a quarter's end must be
    // reported once, by the walk it starts in, like any other.
    const keywords = ["token", "ghp_", "secret_key", "xoxb-", "kEy", "aaa"];
    const r = new ExampleRandom(5);
    for (const length of [MULTI_STREAM_MIN, MULTI_STREAM_MIN + 3, 5000, 65_537]) {
      const bytes = Buffer.alloc(length);
      for (let i = 0; i < length; i++) bytes[i] = "abcdefghijklmnopqrstuvwxyz_-KEY "[r.next() % 32]!.charCodeAt(0);
      const quarter = length >> 2;
      // Each keyword at and around every meeting point, and at both ends.
      let placed = 0;
      for (const at of [0, quarter - 3, quarter - 1, 2 * quarter - 5, 2 * quarter, 3 * quarter - 2, length - 10]) {
        bytes.write(keywords[placed++ % keywords.length]!, at);
      }
      const text = bytes.toString("latin1");
      const expected: Array<[string, number]> = [];
      const lower = text.toLowerCase();
      for (const keyword of keywords) {
        for (
          let at = lower.indexOf(keyword.toLowerCase());
          at >= 0;
          at = lower.indexOf(keyword.toLowerCase(), at + 1)
        ) {
          expected.push([keyword, at]);
        }
      }
      expected.sort((a, b) => a[1] - b[1] || a[0].localeCompare(b[0]));
      expect(expected.length).toBeGreaterThanOrEqual(7);
      expect(hits(keywords, text)).toEqual(expected);
    }
  });
});
