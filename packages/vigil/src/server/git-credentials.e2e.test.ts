import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startVigilServer, type RunningServer } from "../test-support/vigil-server.js";

const GIT_ENV = {
  ...process.env,
  GIT_AUTHOR_NAME: "Dev",
  GIT_AUTHOR_EMAIL: "dev@example.com",
  GIT_COMMITTER_NAME: "Dev",
  GIT_COMMITTER_EMAIL: "dev@example.com",
  GIT_TERMINAL_PROMPT: "0",
};

/** Every file under a directory, recursively. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

/**
 * Issue 10, items 4 and 5 through a real `vigil serve` and the real git: git applies the API's
 * scopes, and a mirror whose URL carries a token fetches with it while the token is in no file of
 * the data directory (database, WAL, mirror config) and `vigil repo list` shows it masked.
 */
describe("git over HTTP with token scopes, and mirror credentials", () => {
  let server: RunningServer;
  let work: string;
  let writeToken: string;
  let orgOnlyToken: string;
  let mirrorToken: string;
  const git = (cwd: string, ...args: string[]) => spawnSync("git", args, { cwd, env: GIT_ENV, encoding: "utf8" });
  const remote = (user: string, token: string) =>
    `${server.url.replace("http://", `http://${user}:${token}@`)}/acme/app.git`;

  beforeAll(async () => {
    server = await startVigilServer({ extraArgs: ["--allow-http-mirrors"] });
    work = mkdtempSync(join(tmpdir(), "vigil-git-scopes-"));
    expect(server.cli(["repo", "add", "acme/app"]).status).toBe(0);
    writeToken = server.cli(["token", "create", "--user", "dev", "--scopes", "repo"]).stdout.trim();
    orgOnlyToken = server.cli(["token", "create", "--user", "dev", "--scopes", "read:org"]).stdout.trim();
    mirrorToken = server.cli(["token", "create", "--user", "ci", "--scopes", "repo"]).stdout.trim();
    expect(server.cli(["grant", "dev", "--repo", "acme/app", "--role", "write"]).status).toBe(0);
    expect(server.cli(["grant", "ci", "--repo", "acme/app", "--role", "read"]).status).toBe(0);
  }, 60_000);

  afterAll(async () => {
    await server?.stop();
    rmSync(work, { recursive: true, force: true });
  });

  it("a read:org-only token can neither clone nor push; a repo token can both", () => {
    const denied = git(work, "clone", "-q", remote("dev", orgOnlyToken), "denied");
    expect(denied.status).not.toBe(0);
    expect(denied.stderr).toMatch(/403|repo scope/);

    expect(git(work, "clone", "-q", remote("dev", writeToken), "app").status).toBe(0);
    const app = join(work, "app");
    writeFileSync(join(app, "README.md"), "# app\n");
    expect(git(app, "add", ".").status).toBe(0);
    expect(git(app, "commit", "-qm", "first").status).toBe(0);
    const pushDenied = git(app, "push", remote("dev", orgOnlyToken), "HEAD:main");
    expect(pushDenied.status).not.toBe(0);
    expect(pushDenied.stderr).toMatch(/403|repo scope/);
    const pushed = git(app, "push", "-q", remote("dev", writeToken), "HEAD:main");
    expect(pushed.status, pushed.stderr).toBe(0);
  });

  it("a mirror with a token in its URL fetches with it, and the token is in no file of the data directory", async () => {
    // Registered over the API by a site administrator (http:// is allowed by --allow-http-mirrors).
    const adminToken = server.cli(["token", "create", "--user", "admin", "--scopes", "repo"]).stdout.trim();
    const register = (source: string) =>
      fetch(`${server.url}/api/v3/orgs/mirrors/repos`, {
        method: "POST",
        headers: { authorization: `token ${adminToken}`, "content-type": "application/json" },
        body: JSON.stringify({ name: "app", source_url: source }),
      });
    expect((await register(join(server.dataDir, "repos", "acme", "app.git"))).status).toBe(422);
    const created = await register(remote("ci", mirrorToken));
    const text = await created.text();
    expect(created.status, text).toBe(201);
    expect(text).not.toContain(mirrorToken);
    const deadline = Date.now() + 30_000;
    let line = "";
    for (;;) {
      line =
        server
          .cli(["repo", "list"])
          .stdout.split("\n")
          .find((l) => l.startsWith("mirrors/app\t")) ?? "";
      if (/\t(completed|failed)$/.test(line) || Date.now() > deadline) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    expect(line).toBe(`mirrors/app\t${server.url.replace("http://", "http://ci:***@")}/acme/app.git\tcompleted`);
    const mirror = join(server.dataDir, "repos", "mirrors", "app.git");
    expect(git(mirror, "log", "--format=%s", "main").stdout.trim()).toBe("first");
    expect(readFileSync(join(mirror, "config"), "utf8")).toContain(`url = ${server.url}/acme/app.git`);
    const leaks = filesUnder(server.dataDir).filter((file) => readFileSync(file).includes(mirrorToken));
    expect(leaks).toEqual([]);
  }, 60_000);
});
