import { ExampleRandom } from "vigil-secrets-engine";
import { describe, expect, it } from "vitest";
import { sanitizeGitMessage } from "./git-error-message.js";

const random = new ExampleRandom(0x617);

describe("sanitizeGitMessage", () => {
  it("keeps git's reason on one line and removes credentials from URLs, query strings and headers", () => {
    const password = random.alnum(20);
    const query = random.alnum(24);
    const header = random.alnum(30);
    const stderr = [
      "Cloning into bare repository 'api.git'...",
      "remote: Repository not found.",
      `fatal: repository 'https://deploy:${password}@git.example/acme/api.git/?private_token=${query}' not found`,
      `error: http.extraheader = Authorization: Bearer ${header}`,
      "",
    ].join("\n");
    const message = sanitizeGitMessage(stderr);
    expect(message).toMatch(
      /^remote: Repository not found\. fatal: repository 'https:\/\/\*\*\*@git\.example\/acme\/api\.git\/\?private_token=\*\*\*' not found error: /,
    );
    for (const credential of [password, query, header]) expect(message).not.toContain(credential);
    expect(message).not.toContain("Cloning into");
  });

  it("masks a secret Vigil's patterns recognise anywhere in the message", () => {
    const token = random.githubToken("ghp");
    const message = sanitizeGitMessage(
      `fatal: unable to access 'https://git.example/acme/api.git/': token ${token} rejected\n`,
    );
    expect(message).not.toContain(token);
    expect(message).toContain(token.slice(0, 4) + "*");
    expect(message).toMatch(/^fatal: unable to access 'https:\/\/git\.example\/acme\/api\.git\/': token /);
  });

  it("bounds the length", () => {
    const message = sanitizeGitMessage("fatal: " + "x".repeat(5000));
    expect(message.length).toBe(1000);
    expect(message.endsWith("…")).toBe(true);
  });
});
