import { describe, expect, it } from "vitest";
import { builtinPatterns, createMatcher } from "./index.js";
import { ExampleRandom } from "./example-random.js";
import { isPlaceholder, placeholderTest } from "./placeholder.js";

const r = new ExampleRandom(1618);

describe("isPlaceholder", () => {
  it.each(["mongodb://myuser:mypass@myhost/mydatabase", "my_password", "YourPassword1", "yourpasswd"])(
    "takes %s for an example",
    (text) => {
      expect(isPlaceholder(text)).toBe(true);
    },
  );

  it("keeps random values and real-looking passwords", () => {
    for (let i = 0; i < 200; i++) expect(isPlaceholder(r.base64(40))).toBe(false);
    expect(isPlaceholder("Tr0ub4dor&3")).toBe(false);
  });

  it("drops a documentation URI whose password is mypass, and keeps one with a real password", () => {
    const { matcher } = createMatcher(builtinPatterns);
    const scan = (text: string) => matcher.scan(Buffer.from(text)).map((f) => f.secretType);
    expect(scan(" * For example: mongodb://myuser:mypass@db.internal/app?collection=locks\n")).toEqual([]);
    expect(scan(` * mongodb://locker:${r.alnum(18)}@db.internal/app?collection=locks\n`)).toEqual([
      "mongodb_connection_string",
    ]);
  });

  it("placeholderTest (what --explain says) names a test exactly when isPlaceholder is true", () => {
    const texts = [
      "mongodb://myuser:mypass@myhost/mydatabase",
      "AKIAIOSFODNN7EXAMPLE",
      "${DB_PASSWORD}",
      "<your token>",
      "{{ token }}",
      "%API_KEY%",
      "sk_live_xxxxxxxxxxxx",
      "****************",
      "abc...xyz",
      "changeme",
      "REDACTED",
      "00000000000000",
      "abcabcabcabc",
      "Tr0ub4dor&3",
      ...Array.from({ length: 300 }, () => r.base64(12 + (r.next() % 30))),
    ];
    for (const text of texts) expect([text, placeholderTest(text) !== undefined]).toEqual([text, isPlaceholder(text)]);
    expect(placeholderTest("AKIAIOSFODNN7EXAMPLE")?.test).toBe("known-example");
    expect(placeholderTest("${DB_PASSWORD}")?.test).toBe("template");
    expect(placeholderTest("00000000000000")?.test).toBe("repeated-characters");
  });
});
