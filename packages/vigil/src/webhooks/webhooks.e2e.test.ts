import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Octokit } from "@octokit/rest";
import { ExampleRandom } from "vigil-secrets-engine";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startVigilServer, type RunningServer } from "../test-support/vigil-server.js";
import { startWebhookReceiver, type ReceivedDelivery, type WebhookReceiver } from "../test-support/webhook-receiver.js";

const POSTGRES_URL = process.env.VIGIL_TEST_POSTGRES_URL;
if (!POSTGRES_URL) console.warn("webhooks.e2e: VIGIL_TEST_POSTGRES_URL is not set; the PostgreSQL run is skipped");

const GIT_ENV = {
  ...process.env,
  GIT_AUTHOR_NAME: "Dev",
  GIT_AUTHOR_EMAIL: "dev@example.com",
  GIT_COMMITTER_NAME: "Dev",
  GIT_COMMITTER_EMAIL: "dev@example.com",
  GIT_TERMINAL_PROMPT: "0",
};

describe.each([
  { dialect: "sqlite", url: undefined as string | undefined },
  { dialect: "postgres", url: POSTGRES_URL },
])("webhooks from a real vigil serve to an @octokit/webhooks receiver ($dialect)", ({ dialect, url }) => {
  const skip = dialect === "postgres" && !url;
  const random = new ExampleRandom(dialect === "sqlite" ? 81 : 82);
  const hookSecret = random.alnum(32);
  let server: RunningServer;
  let receiver: WebhookReceiver;
  let work: string;
  let admin: Octokit;
  let dev: Octokit;
  let hookId: number;
  let secret: string;

  const git = (...args: string[]) => spawnSync("git", args, { cwd: work, env: GIT_ENV, encoding: "utf8" });
  const commitFile = (name: string, content: string): void => {
    writeFileSync(join(work, name), content);
    expect(git("add", name).status).toBe(0);
    expect(git("commit", "-qm", `add ${name}`).status).toBe(0);
  };
  const push = () => git("push", "origin", "HEAD:main");
  /** The first delivery (after `from`) of this event and action. */
  const next = async (event: string, action: string | null, from = 0): Promise<ReceivedDelivery> => {
    const deadline = Date.now() + 20_000;
    for (;;) {
      const found = receiver.received
        .slice(from)
        .find((d) => d.headers["x-github-event"] === event && (action === null || d.payload.action === action));
      if (found) return found;
      if (Date.now() > deadline)
        throw new Error(
          `no ${event}.${action} in ${receiver.received.map((d) => `${String(d.headers["x-github-event"])}.${String(d.payload.action)}`).join(", ")}`,
        );
      await new Promise((r) => setTimeout(r, 100));
    }
  };

  beforeAll(async () => {
    if (skip) return;
    receiver = await startWebhookReceiver({ secret: hookSecret });
    server = await startVigilServer({ ...(url ? { postgresUrl: url } : {}), extraArgs: ["--allow-private-webhooks"] });
    expect(server.cli(["repo", "add", "acme/app"]).status).toBe(0);
    const adminToken = server
      .cli(["token", "create", "--user", "admin", "--scopes", "repo,security_events,admin:repo_hook"])
      .stdout.trim();
    const devToken = server.cli(["token", "create", "--user", "dev", "--scopes", "repo"]).stdout.trim();
    expect(server.cli(["grant", "dev", "--repo", "acme/app", "--role", "write"]).status).toBe(0);
    admin = new Octokit({ baseUrl: `${server.url}/api/v3`, auth: adminToken });
    dev = new Octokit({ baseUrl: `${server.url}/api/v3`, auth: devToken });
    work = mkdtempSync(join(tmpdir(), "vigil-webhooks-"));
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
    await receiver?.close();
    rmSync(work, { recursive: true, force: true });
  });

  it.skipIf(skip)("a new hook is pinged, signed with its secret", async () => {
    const { data } = await admin.rest.repos.createWebhook({
      owner: "acme",
      repo: "app",
      config: { url: receiver.url, content_type: "json", secret: hookSecret },
      events: ["secret_scanning_alert", "secret_scanning_alert_location"],
    });
    hookId = data.id;
    expect(data.config).toMatchObject({ url: receiver.url, secret: "********" });
    const ping = await next("ping", null);
    expect(ping.verified).toBe(true);
    expect(ping.payload).toMatchObject({
      hook_id: hookId,
      hook: { id: hookId, events: ["secret_scanning_alert", "secret_scanning_alert_location"] },
      repository: { full_name: "acme/app" },
    });
    expect(ping.headers["user-agent"]).toMatch(/^GitHub-Hookshot\//);
    expect(ping.headers["x-github-hook-id"]).toBe(String(hookId));
  });

  it.skipIf(skip)(
    "a bypassed push creates the alert: created arrives with push_protection_bypassed and the bypasser, verified",
    async () => {
      const from = receiver.received.length;
      secret = random.githubToken("ghp");
      commitFile("config.env", `GITHUB_TOKEN=${secret}\n`);
      const blocked = push();
      expect(blocked.status).not.toBe(0);
      const placeholder = /unblock-secret\/([A-Za-z0-9_-]+)/.exec(blocked.stderr)![1]!;
      await dev.rest.secretScanning.createPushProtectionBypass({
        owner: "acme",
        repo: "app",
        reason: "will_fix_later",
        placeholder_id: placeholder,
      });
      expect(push().status).toBe(0);
      const created = await next("secret_scanning_alert", "created", from);
      expect(created.verified).toBe(true);
      expect(created.payload).toMatchObject({
        action: "created",
        alert: {
          number: 1,
          state: "open",
          secret_type: "github_personal_access_token",
          push_protection_bypassed: true,
          push_protection_bypassed_by: { login: "dev" },
          secret_category: "default",
        },
        repository: { full_name: "acme/app" },
        organization: { login: "acme" },
        sender: { login: "dev" },
      });
      expect(created.body).not.toContain(secret);
    },
  );

  it.skipIf(skip)(
    "resolve, reopen, assign and unassign each arrive as their action, in order, each verified",
    async () => {
      const from = receiver.received.length;
      await admin.rest.secretScanning.updateAlert({
        owner: "acme",
        repo: "app",
        alert_number: 1,
        state: "resolved",
        resolution: "revoked",
      });
      await admin.rest.secretScanning.updateAlert({ owner: "acme", repo: "app", alert_number: 1, state: "open" });
      await admin.request("PATCH /repos/{owner}/{repo}/secret-scanning/alerts/{alert_number}", {
        owner: "acme",
        repo: "app",
        alert_number: 1,
        assignee: "dev",
      });
      await admin.request("PATCH /repos/{owner}/{repo}/secret-scanning/alerts/{alert_number}", {
        owner: "acme",
        repo: "app",
        alert_number: 1,
        assignee: null,
      });
      const unassigned = await next("secret_scanning_alert", "unassigned", from);
      const got = receiver.received.slice(from).filter((d) => d.headers["x-github-event"] === "secret_scanning_alert");
      expect(got.map((d) => d.payload.action)).toEqual(["resolved", "reopened", "assigned", "unassigned"]);
      expect(got.every((d) => d.verified === true)).toBe(true);
      expect(got[0]!.payload).toMatchObject({
        alert: { state: "resolved", resolution: "revoked", resolved_by: { login: "admin" } },
        sender: { login: "admin" },
      });
      expect(got[1]!.payload).toMatchObject({ alert: { state: "open", resolution: null } });
      expect(got[2]!.payload).toMatchObject({ assignee: { login: "dev" }, alert: { assigned_to: { login: "dev" } } });
      expect(unassigned.payload).toMatchObject({ assignee: { login: "dev" }, alert: { assigned_to: null } });
    },
  );

  it.skipIf(skip)("the same secret pushed again elsewhere is secret_scanning_alert_location created", async () => {
    const from = receiver.received.length;
    commitFile("copy.env", `TOKEN=${secret}\n`);
    expect(push().status).toBe(0);
    const location = await next("secret_scanning_alert_location", "created", from);
    expect(location.verified).toBe(true);
    expect(location.payload).toMatchObject({
      alert: { number: 1 },
      location: { type: "commit", details: { path: "copy.env" } },
    });
  });

  it.skipIf(skip)(
    "the deliveries API lists them with their status; a redelivery arrives with the same GUID",
    async () => {
      const { data: deliveries } = await admin.rest.repos.listWebhookDeliveries({
        owner: "acme",
        repo: "app",
        hook_id: hookId,
        per_page: 100,
      });
      const created = deliveries.find((d) => d.event === "secret_scanning_alert" && d.action === "created")!;
      expect(created).toMatchObject({ status: "OK", status_code: 202, redelivery: false });
      const { data: full } = await admin.rest.repos.getWebhookDelivery({
        owner: "acme",
        repo: "app",
        hook_id: hookId,
        delivery_id: created.id,
      });
      expect(full.request.headers).toMatchObject({
        "X-GitHub-Event": "secret_scanning_alert",
        "X-GitHub-Delivery": created.guid,
      });
      expect((full.request.payload as { alert: { number: number } }).alert.number).toBe(1);
      expect(full.response.payload).toBe("accepted");

      const from = receiver.received.length;
      const redelivered = await admin.rest.repos.redeliverWebhookDelivery({
        owner: "acme",
        repo: "app",
        hook_id: hookId,
        delivery_id: created.id,
      });
      expect(redelivered.status).toBe(202);
      const again = await next("secret_scanning_alert", "created", from);
      expect(again.headers["x-github-delivery"]).toBe(created.guid);
      expect(again.verified).toBe(true);
      const { data: after } = await admin.rest.repos.listWebhookDeliveries({
        owner: "acme",
        repo: "app",
        hook_id: hookId,
      });
      expect(after[0]).toMatchObject({ guid: created.guid, redelivery: true });
    },
  );

  it.skipIf(skip)(
    "without --allow-private-webhooks a loopback receiver is refused, and the hook says why",
    async () => {
      const strict = await startVigilServer({ ...(url ? { postgresUrl: url } : {}) });
      try {
        expect(strict.cli(["repo", "add", "acme/other"]).status).toBe(0);
        const token = strict.cli(["token", "create", "--user", "admin", "--scopes", "repo"]).stdout.trim();
        const octokit = new Octokit({ baseUrl: `${strict.url}/api/v3`, auth: token });
        const { data } = await octokit.rest.repos.createWebhook({
          owner: "acme",
          repo: "other",
          config: { url: receiver.url, content_type: "json" },
        });
        const deadline = Date.now() + 10_000;
        let hook = data;
        while (hook.last_response.status === "unused" && Date.now() < deadline) {
          await new Promise((r) => setTimeout(r, 100));
          hook = (await octokit.rest.repos.getWebhook({ owner: "acme", repo: "other", hook_id: data.id })).data;
        }
        expect(hook.last_response).toMatchObject({ status: "failed", code: null });
        expect(hook.last_response.message).toContain("--allow-private-webhooks");
      } finally {
        await strict.stop();
      }
    },
  );
});
