import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Octokit } from "@octokit/rest";
import { ExampleRandom } from "vigil-secrets-engine";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startVigilServer, type RunningServer } from "../test-support/vigil-server.js";

const POSTGRES_URL = process.env.VIGIL_TEST_POSTGRES_URL;
if (!POSTGRES_URL) console.warn("serve.e2e: VIGIL_TEST_POSTGRES_URL is not set; the PostgreSQL run is skipped");

/** A real repository whose history leaks three tokens: two on main (one later deleted), one on a side branch. */
function makeLeakyRepository(): { path: string; secrets: string[]; cleanup: () => void } {
  const path = mkdtempSync(join(tmpdir(), "vigil-leaky-"));
  const git = (...args: string[]): string => execFileSync("git", args, { cwd: path, encoding: "utf8", env: { ...process.env, GIT_AUTHOR_NAME: "Dev", GIT_AUTHOR_EMAIL: "dev@example.com", GIT_COMMITTER_NAME: "Dev", GIT_COMMITTER_EMAIL: "dev@example.com" } });
  const random = new ExampleRandom(2026);
  const secrets = [random.githubToken("ghp"), random.githubToken("ghp"), random.githubToken("ghp")];
  git("init", "-q", "-b", "main");
  writeFileSync(join(path, "README.md"), "# demo\n");
  writeFileSync(join(path, ".env"), `GITHUB_TOKEN=${secrets[0]}\n`);
  git("add", ".");
  git("commit", "-qm", "initial");
  writeFileSync(join(path, "deploy.sh"), `#!/bin/sh\ncurl -H "Authorization: token ${secrets[1]}" https://api.github.com/user\n`);
  git("add", ".");
  git("commit", "-qm", "deploy script");
  git("rm", "-q", ".env");
  git("commit", "-qm", "remove env");
  git("checkout", "-qb", "side");
  writeFileSync(join(path, "ci.yml"), `env:\n  TOKEN: ${secrets[2]}\n`);
  git("add", ".");
  git("commit", "-qm", "ci");
  git("checkout", "-q", "main");
  return { path, secrets, cleanup: () => rmSync(path, { recursive: true, force: true }) };
}

describe.each([
  { dialect: "sqlite", url: undefined as string | undefined },
  { dialect: "postgres", url: POSTGRES_URL },
])("vigil serve with Octokit ($dialect)", ({ dialect, url }) => {
  let server: RunningServer;
  let repo: ReturnType<typeof makeLeakyRepository>;
  let octokit: Octokit;
  const skip = dialect === "postgres" && !url;

  beforeAll(async () => {
    if (skip) return;
    repo = makeLeakyRepository();
    server = await startVigilServer(url ? { postgresUrl: url } : {});
    const added = server.cli(["repo", "add", "acme/leaky", repo.path]);
    expect(added.status, added.stderr).toBe(0);
    const token = server.cli(["token", "create", "--user", "admin"]);
    expect(token.status, token.stderr).toBe(0);
    octokit = new Octokit({ baseUrl: `${server.url}/api/v3`, auth: token.stdout.trim() });
    // The server scans in the background: wait for the backfill scan to complete.
    const deadline = Date.now() + 30_000;
    for (;;) {
      const { data } = await octokit.request("GET /repos/{owner}/{repo}/secret-scanning/scan-history", { owner: "acme", repo: "leaky" });
      const scans = (data as { backfill_scans: { status: string }[] }).backfill_scans;
      if (scans.some((s) => s.status === "completed")) break;
      if (scans.some((s) => s.status === "failed")) throw new Error("backfill scan failed");
      if (Date.now() > deadline) throw new Error("backfill scan did not complete in 30 s");
      await new Promise((r) => setTimeout(r, 200));
    }
  }, 60_000);

  afterAll(async () => {
    if (skip) return;
    await server?.stop();
    repo?.cleanup();
  });

  it.skipIf(skip)("lists the alerts of the whole history, with pagination", async () => {
    const first = await octokit.rest.secretScanning.listAlertsForRepo({ owner: "acme", repo: "leaky", per_page: 2 });
    expect(first.data).toHaveLength(2);
    expect(first.headers.link).toContain('rel="next"');
    const all = await octokit.paginate(octokit.rest.secretScanning.listAlertsForRepo, { owner: "acme", repo: "leaky", per_page: 2 });
    expect(all.map((a) => a.secret).sort()).toEqual([...repo.secrets].sort());
    expect(all.every((a) => a.secret_type === "github_personal_access_token" && a.state === "open")).toBe(true);
  });

  it.skipIf(skip)("gets an alert and lists its commit location, including a deleted file and a side branch", async () => {
    const all = await octokit.paginate(octokit.rest.secretScanning.listAlertsForRepo, { owner: "acme", repo: "leaky" });
    const paths = new Map<string, string>();
    for (const alert of all) {
      const { data } = await octokit.rest.secretScanning.getAlert({ owner: "acme", repo: "leaky", alert_number: alert.number! });
      expect(data.number).toBe(alert.number);
      const { data: locations } = await octokit.rest.secretScanning.listLocationsForAlert({ owner: "acme", repo: "leaky", alert_number: alert.number! });
      expect(locations[0]!.type).toBe("commit");
      const details = locations[0]!.details as { path: string; commit_sha: string; start_line: number };
      expect(details.commit_sha).toMatch(/^[0-9a-f]{40}$/);
      paths.set(data.secret!, details.path);
    }
    expect(paths.get(repo.secrets[0]!)).toBe(".env");
    expect(paths.get(repo.secrets[1]!)).toBe("deploy.sh");
    expect(paths.get(repo.secrets[2]!)).toBe("ci.yml");
  });

  it.skipIf(skip)("resolves with each resolution, refuses a mismatched state (422), and reopens", async () => {
    const [alert] = await octokit.paginate(octokit.rest.secretScanning.listAlertsForRepo, { owner: "acme", repo: "leaky" });
    const number = alert!.number!;
    for (const resolution of ["revoked", "false_positive", "wont_fix", "used_in_tests"] as const) {
      const { data } = await octokit.rest.secretScanning.updateAlert({ owner: "acme", repo: "leaky", alert_number: number, state: "resolved", resolution, resolution_comment: `resolved as ${resolution}` });
      expect(data).toMatchObject({ state: "resolved", resolution, resolution_comment: `resolved as ${resolution}` });
      const { data: read } = await octokit.rest.secretScanning.getAlert({ owner: "acme", repo: "leaky", alert_number: number });
      expect(read).toMatchObject({ state: "resolved", resolution, resolved_by: { login: "admin" } });
      await octokit.rest.secretScanning.updateAlert({ owner: "acme", repo: "leaky", alert_number: number, state: "open" });
    }
    const error = await octokit.rest.secretScanning.updateAlert({ owner: "acme", repo: "leaky", alert_number: number, state: "resolved" }).catch((e: { status: number }) => e);
    expect((error).status).toBe(422);
    const { data } = await octokit.rest.secretScanning.getAlert({ owner: "acme", repo: "leaky", alert_number: number });
    expect(data).toMatchObject({ state: "open", resolution: null });
  });

  it.skipIf(skip)("answers 401 without a token and 404 to a user without access", async () => {
    const anonymous = new Octokit({ baseUrl: `${server.url}/api/v3` });
    expect(await anonymous.rest.secretScanning.listAlertsForRepo({ owner: "acme", repo: "leaky" }).catch((e: { status: number }) => e.status)).toBe(401);
    const outsider = server.cli(["token", "create", "--user", "outsider"]);
    const other = new Octokit({ baseUrl: `${server.url}/api/v3`, auth: outsider.stdout.trim() });
    expect(await other.rest.secretScanning.listAlertsForRepo({ owner: "acme", repo: "leaky" }).catch((e: { status: number }) => e.status)).toBe(404);
  });
});

describe("vigil serve --workers 2", () => {
  it("serves the API from two processes on one port and scans in the background once", async () => {
    const repo = makeLeakyRepository();
    const server = await startVigilServer({ extraArgs: ["--workers", "2"] });
    try {
      expect(server.cli(["repo", "add", "acme/leaky", repo.path]).status).toBe(0);
      const octokit = new Octokit({ baseUrl: `${server.url}/api/v3`, auth: server.cli(["token", "create", "--user", "admin"]).stdout.trim() });
      const deadline = Date.now() + 30_000;
      let alerts: unknown[] = [];
      while (alerts.length < 3 && Date.now() < deadline) {
        alerts = await octokit.paginate(octokit.rest.secretScanning.listAlertsForRepo, { owner: "acme", repo: "leaky" });
        if (alerts.length < 3) await new Promise((r) => setTimeout(r, 250));
      }
      expect(alerts).toHaveLength(3);
      // Many requests land on both processes; every one is answered.
      const statuses = await Promise.all(Array.from({ length: 40 }, () => octokit.rest.users.getAuthenticated().then((r) => r.status)));
      expect(new Set(statuses)).toEqual(new Set([200]));
      const { data } = await octokit.request("GET /repos/{owner}/{repo}/secret-scanning/scan-history", { owner: "acme", repo: "leaky" });
      // One backfill, recorded once, although two processes run.
      expect((data as { backfill_scans: unknown[] }).backfill_scans).toHaveLength(1);
    } finally {
      await server.stop();
      repo.cleanup();
    }
  }, 60_000);
});
