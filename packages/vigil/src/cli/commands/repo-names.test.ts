import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../../test-support/run-cli.js";

let root: string;
let dataDir: string;
const env = { VIGIL_SECRET_KEY: Buffer.alloc(32, 3).toString("base64") };
const cli = (...args: string[]) => runCli([...args, "--data-dir", dataDir], { env });

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), "vigil-repo-cli-"));
  dataDir = join(root, "data");
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe("vigil repo add and grant: names", () => {
  it.each([
    "../escaped/app",
    "acme/..",
    "acme/.",
    "-acme/app",
    "acme-/app",
    "ac--me/app",
    "ac\nme/app",
    "acme/a/b",
    "acme/a\tb",
    "acmé/app",
    `${"x".repeat(40)}/app`,
  ])("refuses %j with exit 2 and creates nothing", (name) => {
    const result = runCli(["repo", "add", "--data-dir", dataDir, "--", name], { env });
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/is not OWNER\/NAME/);
    expect(result.stderr).not.toMatch(/\n.*\n.*\n/); // one line, no stack trace
    expect(readdirSync(root)).not.toContain("escaped");
  });

  it("refuses a user login that breaks GitHub's rules in vigil token create", () => {
    for (const login of ["a--b", "dev-", "../x", "de\tv"]) {
      const result = cli("token", "create", "--user", login);
      expect(result.status, login).toBe(2);
      expect(result.stderr).toMatch(/is not a valid login/);
    }
  });

  it("refuses an organization login with a control character or a path in vigil grant", () => {
    expect(cli("token", "create", "--user", "dev").status).toBe(0);
    for (const org of ["../escaped", "ev\til", "ev\u007fil", "-evil"]) {
      const result = cli("grant", "dev", "--org", org, "--role", "member");
      expect(result.status, org).toBe(2);
      expect(result.stderr).toMatch(/is not an organization login/);
    }
  });
});

describe("mirror credentials", () => {
  it("are encrypted at rest and printed masked by vigil repo list", () => {
    const password = `pw${randomBytes(12).toString("hex")}`;
    const token = `tk${randomBytes(12).toString("hex")}`;
    expect(
      cli("repo", "add", "acme/with-password", `https://ci:${password}@git.example.invalid/acme/app.git`).status,
    ).toBe(0);
    expect(cli("repo", "add", "acme/with-token", `https://${token}@git.example.invalid/acme/app.git`).status).toBe(0);
    const list = cli("repo", "list");
    expect(list.status).toBe(0);
    expect(list.stdout).toContain("acme/with-password\thttps://ci:***@git.example.invalid/acme/app.git\t");
    expect(list.stdout).toContain("acme/with-token\thttps://***@git.example.invalid/acme/app.git\t");
    for (const file of readdirSync(dataDir)) {
      const bytes = readFileSync(join(dataDir, file));
      expect(bytes.includes(password), file).toBe(false);
      expect(bytes.includes(token), file).toBe(false);
    }
    // The database itself holds the URL masked.
    const dump = execFileSync(
      "sqlite3",
      [join(dataDir, "vigil.db"), "select source_url from repositories order by id"],
      { encoding: "utf8" },
    );
    expect(dump).toContain("https://ci:***@git.example.invalid/acme/app.git");
    expect(existsSync(join(dataDir, "vigil.db"))).toBe(true);
  });
});
