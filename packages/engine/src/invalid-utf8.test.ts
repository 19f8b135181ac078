import { describe, expect, it } from "vitest";
import { definePattern } from "./custom-pattern.js";
import { ExampleRandom } from "./example-random.js";
import { createMatcher, regexInput } from "./matcher.js";
import { builtinPatterns } from "./patterns/index.js";

// Content is bytes, whatever its encoding: Latin-1 files, binary-ish logs, truncated UTF-8. RE2 reads
// UTF-8, and a byte that is not valid UTF-8 there matches no character class, so the default
// delimiter `[^0-9A-Za-z]` failed on it and a secret right after it was missed.

const r = new ExampleRandom(1212);
const catalog = createMatcher(builtinPatterns).matcher;
const custom = createMatcher([definePattern({ name: "Acme key", pattern: "acme_[a-z0-9]{16}" })]).matcher;

/** Every kind of invalid UTF-8: a Latin-1 letter, bytes never valid, a lone lead, a stray continuation, an overlong, a surrogate, past U+10FFFF, a cut 4-byte sequence. */
const INVALID: Array<[string, number[]]> = [
  ["e9 (Latin-1 é)", [0xe9]],
  ["ff", [0xff]],
  ["lone c3", [0xc3]],
  ["stray continuation 80", [0x80]],
  ["overlong c0 af", [0xc0, 0xaf]],
  ["surrogate ed a0 80", [0xed, 0xa0, 0x80]],
  ["f5 80 80 80", [0xf5, 0x80, 0x80, 0x80]],
  ["cut f0 9f 98", [0xf0, 0x9f, 0x98]],
];

describe("secrets next to bytes that are not valid UTF-8", () => {
  it.each(INVALID)("a GitHub token directly after %s is found, at its byte offset", (_, bytes) => {
    const token = r.githubToken("ghp");
    const content = Buffer.concat([Buffer.from("token:"), Buffer.from(bytes), Buffer.from(token), Buffer.from("\n")]);
    const findings = catalog.scan(content);
    expect(findings.map((f) => f.secret.reveal())).toEqual([token]);
    expect(findings[0]!.startOffset).toBe(6 + bytes.length);
  });

  it.each(INVALID)("a custom pattern's secret directly before %s is found", (_, bytes) => {
    const secret = `acme_${r.lower(8)}${r.chars("0123456789", 8)}`;
    const content = Buffer.concat([Buffer.from(" "), Buffer.from(secret), Buffer.from(bytes), Buffer.from(" tail")]);
    expect(custom.scan(content).map((f) => f.secret.reveal())).toEqual([secret]);
  });

  it("valid multi-byte UTF-8 around a secret is left alone (é, emoji), and is still no delimiter when it is not one", () => {
    const token = r.githubToken("ghp");
    const found = catalog.scan(Buffer.from(`é ${token} 😀`));
    expect(found.map((f) => f.secret.reveal())).toEqual([token]);
  });

  it("regexInput replaces each invalid byte by one SUB and keeps valid text and length", () => {
    const content = Buffer.from([0x61, 0xe9, 0x62, 0xc3, 0xa9, 0xff, 0xf0, 0x9f, 0x98, 0x80, 0xc3]);
    const input = regexInput(content);
    expect([...input]).toEqual([0x61, 0x1a, 0x62, 0xc3, 0xa9, 0x1a, 0xf0, 0x9f, 0x98, 0x80, 0x1a]);
    expect(content[1]).toBe(0xe9); // the content itself is not changed
    const valid = Buffer.from("plain ascii and é");
    expect(regexInput(valid)).toBe(valid);
  });
});
