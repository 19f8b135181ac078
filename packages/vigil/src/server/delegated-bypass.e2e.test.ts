import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Octokit } from "@octokit/rest";
import { ExampleRandom } from "vigil-secrets-engine";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openStore } from "../store/index.js";
import { startVigilServer, type RunningServer } from "../test-support/vigil-server.js";

const POSTGRES_URL = process.env.VIGIL_TEST_POSTGRES_URL;
const GIT_ENV = {
  ...process.env,
  GIT_AUTHOR_NAME: "Dev",
  GIT_AUTHOR_EMAIL: "dev@example.com",
  GIT_COMMITTER_NAME: "Dev",
  GIT_COMMITTER_EMAIL: "dev@example.com",
  GIT_TERMINAL_PROMPT: "0",
};

/** GitHub's delegated bypass through `vigil serve` and real git pushes: a reviewer's decision lets the push through, or not. */
describe.each([
  { dialect: "sqlite", url: undefined as string | undefined },
  { dialect: "postgres", url: POSTGRES_URL },
])("delegated bypass through vigil serve ($dialect)", ({ dialect, url }) => {
  const skip = dialect === "postgres" && !url;
  let server: RunningServer;
  let work: string;
  let devToken: string;
  let reviewer: Octokit;
  let dev: Octokit;
  const random = new ExampleRandom(dialect === "sqlite" ? 1401 : 1402);

  const git = (...args: string[]) => spawnSync("git", args, { cwd: work, env: GIT_ENV, encoding: "utf8" });
  const commitFile = (name: string, content: string): void => {
    writeFileSync(join(work, name), content);
    expect(git("add", name).status).toBe(0);
    expect(git("commit", "-qm", `add ${name}`).status).toBe(0);
  };
  const push = () => git("push", "origin", "HEAD:main");
  const remoteMain = (): string => git("ls-remote", "origin", "refs/heads/main").stdout.split(/\s/)[0] ?? "";
  const placeholderOf = (stderr: string): string => {
    const match = /unblock-secret\/([A-Za-z0-9_-]+)/.exec(stderr);
    if (!match) throw new Error(`no allow URL in:\n${stderr}`);
    return match[1]!;
  };

  beforeAll(async () => {
    if (skip) return;
    server = await startVigilServer(url ? { postgresUrl: url } : {});
    expect(server.cli(["repo", "add", "acme/app"]).status).toBe(0);
    const adminToken = server
      .cli(["token", "create", "--user", "admin", "--scopes", "repo,security_events,admin:org,write:org"])
      .stdout.trim();
    devToken = server.cli(["token", "create", "--user", "dev", "--scopes", "repo"]).stdout.trim();
    expect(server.cli(["grant", "dev", "--repo", "acme/app", "--role", "write"]).status).toBe(0);
    reviewer = new Octokit({ baseUrl: `${server.url}/api/v3`, auth: adminToken });
    dev = new Octokit({ baseUrl: `${server.url}/api/v3`, auth: devToken });
    const { data } = await reviewer.request("PATCH /orgs/{org}", {
      org: "acme",
      secret_scanning_delegated_bypass_enabled: true,
    } as never);
    expect(data).toMatchObject({ secret_scanning_delegated_bypass_enabled: true });
    work = mkdtempSync(join(tmpdir(), "vigil-review-"));
    execFileSync(
      "git",
      ["clone", "-q", `${server.url.replace("http://", `http://dev:${devToken}@`)}/acme/app.git`, work],
      { env: GIT_ENV, stdio: "pipe" },
    );
    commitFile("README.md", "# app\n");
    expect(push().status).toBe(0);
  }, 60_000);

  afterAll(async () => {
    if (skip) return;
    await server?.stop();
    rmSync(work, { recursive: true, force: true });
  });

  it.skipIf(skip)(
    "blocks the push until a reviewer approves the pusher's bypass request through the API, then the push goes through",
    async () => {
      const secret = random.githubToken("ghp");
      commitFile("ci.env", `GITHUB_TOKEN=${secret}\n`);
      const before = remoteMain();
      const blocked = push();
      expect(blocked.status).not.toBe(0);
      const placeholder = placeholderOf(blocked.stderr);

      const requested = await dev.request("POST /repos/{owner}/{repo}/secret-scanning/push-protection-bypasses", {
        owner: "acme",
        repo: "app",
        reason: "used_in_tests",
        placeholder_id: placeholder,
        comment: "CI fixture",
      } as never);
      expect(requested.status).toBe(202);
      const number = (requested.data as { number: number }).number;
      // Requested is not allowed: still blocked.
      expect(push().status).not.toBe(0);
      expect(remoteMain()).toBe(before);

      const { data: queue } = await reviewer.request("GET /repos/{owner}/{repo}/bypass-requests/secret-scanning", {
        owner: "acme",
        repo: "app",
        request_status: "open",
      });
      expect(queue).toEqual([
        expect.objectContaining({
          number,
          status: "pending",
          requester_comment: "CI fixture",
          requester: { actor_id: expect.any(Number), actor_name: "dev" },
        }),
      ]);
      const review = await reviewer.request(
        "PATCH /repos/{owner}/{repo}/bypass-requests/secret-scanning/{bypass_request_number}",
        {
          owner: "acme",
          repo: "app",
          bypass_request_number: number,
          status: "approve",
          message: "fixture token, revoked",
        },
      );
      expect(review.data).toEqual({ bypass_review_id: expect.any(Number) });

      const through = push();
      expect(through.stderr).not.toContain("GH013");
      expect(through.status).toBe(0);
      expect(remoteMain()).not.toBe(before);
      const alerts = await reviewer.paginate(reviewer.rest.secretScanning.listAlertsForRepo, {
        owner: "acme",
        repo: "app",
        is_bypassed: true,
      } as never);
      expect(alerts).toEqual([
        expect.objectContaining({
          secret,
          state: "resolved",
          resolution: "used_in_tests",
          push_protection_bypassed: true,
          push_protection_bypassed_by: expect.objectContaining({ login: "dev" }),
        }),
      ]);
      // The alert's timeline holds the request and its approval.
      const opened = await openStore({
        dataDir: server.dataDir,
        url: server.databaseUrl,
        env: { VIGIL_SECRET_KEY: server.secretKey },
      });
      try {
        const repo = (await opened.store.getRepository("acme", "app"))!;
        const alert = (await opened.store.getAlert(repo.id, (alerts[0] as { number: number }).number))!;
        const events = await opened.store.listEvents(alert.id);
        expect(events.map((e) => e.action)).toEqual(
          expect.arrayContaining(["created", "bypass_requested", "bypass_approved"]),
        );
        expect(events.find((e) => e.action === "bypass_approved")?.payload).toMatchObject({
          request_number: number,
          message: "fixture token, revoked",
        });
      } finally {
        await opened.close();
      }
      const { data: done } = await reviewer.request(
        "GET /repos/{owner}/{repo}/bypass-requests/secret-scanning/{bypass_request_number}",
        { owner: "acme", repo: "app", bypass_request_number: number },
      );
      expect(done).toMatchObject({
        status: "completed",
        responses: [{ status: "approved", reviewer: { actor_name: "admin" } }],
      });
    },
  );

  it.skipIf(skip)("keeps the push blocked when the reviewer denies the request made on the allow page", async () => {
    commitFile("deploy.env", `TOKEN=${random.githubToken("ghp")}\n`);
    const before = remoteMain();
    const placeholder = placeholderOf(push().stderr);
    const pageUrl = `${server.url}/acme/app/security/secret-scanning/unblock-secret/${placeholder}`;
    const page = await fetch(pageUrl);
    expect(await page.text()).toContain("requires a reviewer");
    const asked = await fetch(pageUrl, {
      method: "POST",
      body: new URLSearchParams({ token: devToken, reason: "false_positive", comment: "looks fake to me" }),
    });
    expect(asked.status).toBe(202);
    const number = Number(/Bypass request #(\d+)/.exec(await asked.text())?.[1]);
    expect(number).toBeGreaterThan(0);

    await reviewer.request("PATCH /repos/{owner}/{repo}/bypass-requests/secret-scanning/{bypass_request_number}", {
      owner: "acme",
      repo: "app",
      bypass_request_number: number,
      status: "reject",
      message: "this is a live token: remove it and rotate",
    });
    const again = push();
    expect(again.status).not.toBe(0);
    expect(again.stderr).toContain("GH013");
    expect(remoteMain()).toBe(before);
    const { data } = await reviewer.request(
      "GET /repos/{owner}/{repo}/bypass-requests/secret-scanning/{bypass_request_number}",
      { owner: "acme", repo: "app", bypass_request_number: number },
    );
    expect(data).toMatchObject({ status: "denied", requester_comment: "looks fake to me" });
    expect(await fetch(pageUrl).then((r) => r.text())).toContain("denied");
  });
});
