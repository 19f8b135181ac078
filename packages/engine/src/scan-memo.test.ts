import { describe, expect, it } from "vitest";
import { ExampleRandom } from "./example-random.js";
import type { Finding } from "./finding.js";
import { createMatcher } from "./matcher.js";
import { builtinPatterns } from "./patterns/index.js";
import type { ScanMemo } from "./scan-memo.js";

const r = new ExampleRandom(1717);
const { matcher } = createMatcher(builtinPatterns, { lazyCompile: true });

/** Findings as plain data (secrets revealed) so that two scans compare field by field. */
function plain(findings: Finding[]): unknown[] {
  return findings.map(({ secret, paired, ...rest }) => ({
    ...rest,
    secret: secret.reveal(),
    ...(paired ? { paired: { ...paired, secret: paired.secret.reveal() } } : {}),
  }));
}

const awsId = (): string => `AKIA${r.chars("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", 16)}`;

/** Lines a source file might hold: code, keywords without secrets, secrets of several kinds. */
function line(): string {
  switch (r.next() % 10) {
    case 0:
      return `const token = "${r.githubToken("ghp")}";`;
    case 1:
      return `aws_access_key_id = "${awsId()}"\naws_secret_access_key = "${r.base64(40)}"`;
    case 2:
      return `password = "${r.alnum(12)}${r.digits(3)}!"`;
    case 3:
      return `auth: ${Buffer.from(`{"token":"${r.githubToken("ghs")}"}`).toString("base64")}`;
    case 4:
      return `// the api key and the secret token are read from the environment`;
    case 5:
      return `url = "https://user:${r.alnum(14)}@example.com/path"`;
    case 6:
      return `caf\xe9 = "${r.githubToken("gho")}"`; // Latin-1: not valid UTF-8
    default:
      return `function f${r.alnum(4)}(a, b) { return a + b * ${r.digits(3)}; }`;
  }
}

function text(lines: number): Buffer {
  return Buffer.from(Array.from({ length: lines }, line).join("\n") + "\n", "latin1");
}

/** A derived content and its parts: runs copied from random places of `base` and inserted text, cutting lines anywhere. */
function derive(base: Buffer): { content: Buffer; parts: number[] } {
  const pieces: Buffer[] = [];
  const parts: number[] = [];
  let at = 0;
  const count = 1 + (r.next() % 12);
  for (let i = 0; i < count; i++) {
    let piece: Buffer;
    let source = -1;
    if (r.next() % 3 === 0 || base.length === 0) {
      const inserted = text(1 + (r.next() % 3));
      // Often only part of a line: a secret's head in the insert and its tail copied, or the reverse.
      piece = inserted.subarray(r.next() % Math.max(1, inserted.length >> 1));
    } else {
      source = r.next() % base.length;
      const length = 1 + (r.next() % Math.min(base.length - source, 4000));
      piece = base.subarray(source, source + length);
    }
    if (piece.length === 0) continue;
    pieces.push(piece);
    parts.push(at, source, piece.length);
    at += piece.length;
  }
  return { content: Buffer.concat(pieces), parts };
}

describe("scanWithMemo", () => {
  it("finds exactly what a full scan finds in contents derived from a scanned base, generation after generation", () => {
    let checked = 0;
    let found = 0;
    for (let round = 0; round < 40; round++) {
      let content = text(60);
      let memo: ScanMemo = matcher.scanWithMemo(content).memo;
      expect(plain(matcher.scanWithMemo(content).findings)).toEqual(plain(matcher.scan(content)));
      for (let generation = 0; generation < 5; generation++) {
        const derived = derive(content);
        const result = matcher.scanWithMemo(derived.content, { base: memo, parts: derived.parts });
        const full = matcher.scan(derived.content);
        expect(plain(result.findings)).toEqual(plain(full));
        checked++;
        found += full.length;
        content = derived.content;
        memo = result.memo;
      }
    }
    expect(checked).toBe(200);
    expect(found).toBeGreaterThan(200); // the derived contents do hold secrets
  });

  it("finds a secret inserted into copied text, one split across a junction, and one only copied", () => {
    const inserted = r.githubToken("ghp");
    const split = r.githubToken("ghp");
    const copied = r.githubToken("ghp");
    const base = Buffer.from(`line one\nconst a = "${copied}";\nmiddle ${split.slice(10)}";\nend\n`);
    const { memo } = matcher.scanWithMemo(base);
    const head = Buffer.from(`const b = "${inserted}";\nconst c = "${split.slice(0, 10)}`);
    const middle = base.indexOf("middle ") + "middle ".length;
    const content = Buffer.concat([base.subarray(0, middle), head, base.subarray(middle)]);
    const parts = [0, 0, middle, middle, -1, head.length, middle + head.length, middle, base.length - middle];
    const { findings } = matcher.scanWithMemo(content, { base: memo, parts });
    expect(findings.map((f) => f.secret.reveal())).toEqual([copied, inserted, split]);
    expect(plain(findings)).toEqual(plain(matcher.scan(content)));
  });

  it("takes a base's finding at its new offset and line when lines are inserted before it", () => {
    const secret = r.githubToken("ghp");
    const base = Buffer.from(`a\nGITHUB_TOKEN=${secret}\n`);
    const { findings: before, memo } = matcher.scanWithMemo(base);
    const head = Buffer.from("new line\nanother\n");
    const content = Buffer.concat([head, base]);
    const { findings } = matcher.scanWithMemo(content, {
      base: memo,
      parts: [0, -1, head.length, head.length, 0, base.length],
    });
    expect(before[0]).toMatchObject({ startLine: 2 });
    expect(findings[0]).toMatchObject({ startLine: 4, startOffset: before[0]!.startOffset + head.length });
  });

  it("scans in full when the parts do not describe the content", () => {
    const secret = r.githubToken("ghp");
    const base = Buffer.from(`x = 1\n`);
    const { memo } = matcher.scanWithMemo(base);
    const content = Buffer.from(`token = "${secret}"\n`);
    // Claims the content is a copy of the (shorter) base: ignored, not trusted.
    const { findings } = matcher.scanWithMemo(content, { base: memo, parts: [0, 0, content.length] });
    expect(findings.map((f) => f.secret.reveal())).toEqual([secret]);
  });
});
