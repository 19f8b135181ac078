import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../../test-support/run-cli.js";

const KEY = randomBytes(32).toString("base64");

describe("vigil webhook", () => {
  let dataDir: string;
  const cli = (args: string[], env: NodeJS.ProcessEnv = {}) =>
    runCli([...args, "--data-dir", dataDir], { env: { VIGIL_SECRET_KEY: KEY, ...env } });

  beforeAll(() => {
    dataDir = mkdtempSync(join(tmpdir(), "vigil-webhook-cli-"));
    expect(cli(["repo", "add", "acme/app"]).status).toBe(0);
  });
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it("adds, lists, shows deliveries of and removes hooks; the secret comes from the environment and is never printed", () => {
    const secret = randomBytes(16).toString("hex");
    const added = cli(
      [
        "webhook",
        "add",
        "https://hooks.example.com/a",
        "--repo",
        "acme/app",
        "--secret-env",
        "HOOK_SECRET",
        "--events",
        "secret_scanning_alert",
      ],
      { HOOK_SECRET: secret },
    );
    expect(added.status).toBe(0);
    const id = added.stdout.trim();
    expect(id).toMatch(/^\d+$/);
    expect(added.stderr).toContain("repository acme/app");
    expect(
      cli(["webhook", "add", "https://hooks.example.com/org", "--org", "acme", "--content-type", "form"]).status,
    ).toBe(0);
    expect(cli(["webhook", "add", "https://hooks.example.com/all", "--instance", "--events", "*"]).status).toBe(0);

    const all = cli(["webhook", "list"]);
    expect(all.status).toBe(0);
    expect(all.stdout.trim().split("\n")).toHaveLength(3);
    expect(all.stdout).toContain(`${id}\tacme/app\thttps://hooks.example.com/a\tsecret_scanning_alert\tactive\tunused`);
    expect(all.stdout + all.stderr + added.stdout + added.stderr).not.toContain(secret);
    expect(cli(["webhook", "list", "--org", "acme"]).stdout).toContain("acme\thttps://hooks.example.com/org");

    const deliveries = cli(["webhook", "deliveries", id]);
    expect(deliveries.status).toBe(0);
    expect(deliveries.stdout).toBe("");
    expect(cli(["webhook", "remove", id]).status).toBe(0);
    const gone = cli(["webhook", "remove", id]);
    expect(gone.status).toBe(2);
    expect(gone.stderr).toContain(`no webhook with id ${id}`);
  });

  it.each([
    [["webhook", "add", "ftp://x.example.com", "--repo", "acme/app"], "absolute http or https URL"],
    [["webhook", "add", "https://x.example.com", "--repo", "acme/nope"], "no repository 'acme/nope'"],
    [["webhook", "add", "https://x.example.com"], "exactly one of --repo, --org or --instance"],
    [["webhook", "add", "https://x.example.com", "--instance", "--events", "push"], "--events: push is not one of"],
    [["webhook", "add", "https://x.example.com", "--instance", "--content-type", "xml"], "--content-type"],
    [
      ["webhook", "add", "https://x.example.com", "--instance", "--secret-env", "NOT_SET_ANYWHERE"],
      "NOT_SET_ANYWHERE is not set",
    ],
    [["webhook", "deliveries", "999"], "no webhook with id 999"],
  ])("%j fails with exit 2 and says why", (args, message) => {
    const result = cli(args);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain(message);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });
});
