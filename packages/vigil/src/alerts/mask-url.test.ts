import { describe, expect, it } from "vitest";
import { maskUrlCredentials, urlCredentials } from "./mask-url.js";

describe("mirror URL credentials", () => {
  it("masks a password and a token given as the user name, keeps everything else", () => {
    expect(maskUrlCredentials("https://ci:s3cr%40t@git.example.com/acme/app.git")).toBe(
      "https://ci:***@git.example.com/acme/app.git",
    );
    expect(maskUrlCredentials("https://tok123@git.example.com/acme/app.git")).toBe(
      "https://***@git.example.com/acme/app.git",
    );
    expect(maskUrlCredentials("ssh://git:pw@host/acme/app.git")).toBe("ssh://git:***@host/acme/app.git");
    for (const plain of [
      "https://git.example.com/acme/app.git",
      "ssh://git@host/acme/app.git",
      "git@host:acme/app.git",
      "/srv/git/app.git",
    ]) {
      expect(maskUrlCredentials(plain)).toBe(plain);
      expect(urlCredentials(plain).hasSecret).toBe(false);
    }
  });

  it("separates http credentials for basic authentication, decoded", () => {
    // Built at run time so that the repository holds no credential-shaped URL.
    const password = ["s3cr", "%40", "t"].join("");
    expect(urlCredentials(`http://ci:${password}@127.0.0.1:8080/acme/app.git`)).toEqual({
      bare: "http://127.0.0.1:8080/acme/app.git",
      masked: "http://ci:***@127.0.0.1:8080/acme/app.git",
      basic: "ci:s3cr@t",
      hasSecret: true,
    });
  });
});
