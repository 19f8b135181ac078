import { describe, expect, it } from "vitest";
import { formatRejectionMessage, MAX_SECRETS_SHOWN } from "./rejection-message.js";

const secret = (n: number) => ({
  secretTypeDisplayName: "GitHub Personal Access Token",
  locations: [{ commitSha: `${n}`.repeat(40).slice(0, 40), path: `src/config-${n}.ts`, line: 30 + n }],
  allowUrl: `http://vigil.local/acme/app/security/secret-scanning/unblock-secret/placeholder${n}`,
});

describe("formatRejectionMessage", () => {
  it("follows GitHub's GH013 layout: type, commit, path:line and the allow URL per secret", () => {
    const text = formatRejectionMessage({ ref: "refs/heads/main", secrets: [secret(1)], helpUrl: "http://vigil.local/docs/push-protection" });
    expect(text).toContain("error: GH013: Repository rule violations found for refs/heads/main.");
    expect(text).toContain("- Push cannot contain secrets");
    expect(text).toContain("—— GitHub Personal Access Token ——");
    expect(text).toContain(`- commit: ${"1".repeat(40)}`);
    expect(text).toContain("path: src/config-1.ts:31");
    expect(text).toContain("follow this URL to allow the secret.\n       http://vigil.local/acme/app/security/secret-scanning/unblock-secret/placeholder1");
  });

  it(`shows at most ${MAX_SECRETS_SHOWN} secrets and counts the rest`, () => {
    const text = formatRejectionMessage({ ref: "refs/heads/main", secrets: [1, 2, 3, 4, 5, 6, 7].map(secret), helpUrl: "h" });
    expect(text.match(/—— GitHub Personal Access Token/g)).toHaveLength(5);
    expect(text).toContain("… and 2 more secrets not shown");
    expect(text).not.toContain("config-6");
  });

  it("adds the organization's custom link, and a local hint when there is no server", () => {
    const { allowUrl: _dropped, ...local } = secret(1);
    const text = formatRejectionMessage({
      ref: "refs/heads/dev",
      secrets: [local],
      helpUrl: "h",
      customLink: "https://wiki.acme.example/secrets",
      localAllowHint: "A false positive? Add `vigil:allow` to the line.",
    });
    expect(text).toContain("https://wiki.acme.example/secrets");
    expect(text).toContain("A false positive? Add `vigil:allow` to the line.");
    expect(text).not.toContain("follow this URL");
  });
});
