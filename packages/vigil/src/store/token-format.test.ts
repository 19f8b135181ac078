import { builtinPatterns, createMatcher, hasValidGithubChecksum } from "vigil-secrets-engine";
import { describe, expect, it } from "vitest";
import { generateToken, hashToken, isWellFormedToken, TOKEN_LENGTH } from "./token-format.js";

describe("Vigil API tokens", () => {
  it("are vgl_ + 30 random base62 characters + a base62 CRC32 checksum, all different", () => {
    const tokens = Array.from({ length: 200 }, () => generateToken());
    expect(new Set(tokens).size).toBe(tokens.length);
    for (const token of tokens) {
      expect(token).toMatch(/^vgl_[0-9A-Za-z]{36}$/);
      expect(token).toHaveLength(TOKEN_LENGTH);
      expect(hasValidGithubChecksum(token)).toBe(true);
      expect(isWellFormedToken(token)).toBe(true);
    }
    // Every base62 character turns up: the random part is not drawn from a smaller alphabet.
    expect(new Set(tokens.map((t) => t.slice(4, 34)).join("")).size).toBe(62);
  });

  it("rejects a token with a typo, a wrong prefix or a wrong length before any lookup", () => {
    const token = generateToken();
    const typo = token.slice(0, 10) + (token[10] === "a" ? "b" : "a") + token.slice(11);
    expect(isWellFormedToken(typo)).toBe(false);
    expect(isWellFormedToken(`ghp_${token.slice(4)}`)).toBe(false);
    expect(isWellFormedToken(token.slice(0, -1))).toBe(false);
    expect(isWellFormedToken(`${token}x`)).toBe(false);
  });

  it("are stored as SHA-256", () => {
    const token = generateToken();
    expect(hashToken(token)).toMatch(/^[0-9a-f]{64}$/);
    expect(hashToken(token)).toBe(hashToken(token));
    expect(hashToken(token)).not.toBe(hashToken(generateToken()));
  });

  it("are found by Vigil's own scanner as vigil_api_token, a corrupted one is not", () => {
    const { matcher } = createMatcher(builtinPatterns);
    const token = generateToken();
    const found = matcher.scan(Buffer.from(`VIGIL_TOKEN=${token}\n`));
    expect(found.map((f) => [f.secretType, f.secret.reveal()])).toEqual([["vigil_api_token", token]]);
    const broken = token.slice(0, -1) + (token.endsWith("0") ? "1" : "0");
    expect(
      matcher.scan(Buffer.from(`VIGIL_TOKEN=${broken}\n`)).filter((f) => f.secretType === "vigil_api_token"),
    ).toEqual([]);
  });
});
