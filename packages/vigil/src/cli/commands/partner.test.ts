import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runCli } from "../../test-support/run-cli.js";

const dataDir = mkdtempSync(join(tmpdir(), "vigil-partner-cli-"));
const env = { VIGIL_SECRET_KEY: Buffer.alloc(32, 4).toString("base64") };
const vigil = (...args: string[]) => runCli([...args, "--data-dir", dataDir], { env });
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe("vigil partner", () => {
  it("adds, lists, rotates the key and removes partners; refuses bad input with exit 2 and a clear line", () => {
    const added = vigil(
      "partner",
      "add",
      "pypi",
      "https://pypi.example/github/disclose-token",
      "--types",
      "pypi_api_token",
    );
    expect(added.status, added.stderr).toBe(0);
    expect(added.stderr).toContain("partner pypi receives pypi_api_token found in public repositories");
    expect(
      vigil("partner", "add", "npm", "https://npm.example/report", "--types", "npm_access_token", "--all-repositories")
        .status,
    ).toBe(0);
    expect(vigil("partner", "list").stdout).toBe(
      "pypi\thttps://pypi.example/github/disclose-token\tpypi_api_token\tpublic repositories\nnpm\thttps://npm.example/report\tnpm_access_token\tall repositories\n",
    );

    const dup = vigil("partner", "add", "pypi", "https://pypi.example/x", "--types", "pypi_api_token");
    expect(dup.status).toBe(2);
    expect(dup.stderr).toMatch(/ERR_PARTNER_EXISTS|already registered/);
    const badUrl = vigil("partner", "add", "x", "not a url", "--types", "pypi_api_token");
    expect(badUrl.status).toBe(2);
    expect(badUrl.stderr).toContain("is not an http(s) URL");
    expect(vigil("partner", "add", "y", "https://y.example", "--types", "Bad Type").status).toBe(2);

    const first = vigil("partner", "rotate-key");
    const second = vigil("partner", "rotate-key");
    expect(first.stdout).toMatch(/^[0-9a-f]{64}\n$/);
    expect(second.stdout).not.toBe(first.stdout);

    expect(vigil("partner", "remove", "npm").status).toBe(0);
    expect(vigil("partner", "list").stdout).toBe(
      "pypi\thttps://pypi.example/github/disclose-token\tpypi_api_token\tpublic repositories\n",
    );
    const missing = vigil("partner", "remove", "npm");
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain("no partner named npm");
  });
});
