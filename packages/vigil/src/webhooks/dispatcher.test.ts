import { createHmac } from "node:crypto";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { ExampleRandom } from "vigil-secrets-engine";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Repository, User } from "../alerts/types.js";
import { detection } from "../test-support/api-fixture.js";
import { startWebhookReceiver, type WebhookReceiver } from "../test-support/webhook-receiver.js";
import { openTestStore, testDialects, type TestStore } from "../store/test-databases.js";
import { createWebhookDispatcher, USER_AGENT, type DispatcherOptions } from "./dispatcher.js";
import { isPrivateAddress } from "./post-webhook.js";
import type { HookInput } from "./webhook-store.js";

const KEY = { VIGIL_SECRET_KEY: Buffer.alloc(32, 3).toString("base64") };
const URLS = { web: "https://vigil.example", api: "https://vigil.example/api/v3" };

describe.each(testDialects())("webhook dispatcher on $name", (dialect) => {
  const skip = dialect.name === "postgres" && !dialect.url;
  const random = new ExampleRandom(dialect.name === "sqlite" ? 71 : 72);
  let t: TestStore;
  let repo: Repository;
  let dev: User;
  const cleanups: (() => Promise<void>)[] = [];

  beforeEach(async () => {
    if (skip) return;
    t = await openTestStore(dialect, { env: KEY });
    repo = await t.store.createRepository({ owner: "acme", name: "api", sourceUrl: null, mirrorPath: "/tmp/none" });
    dev = await t.store.createUser({ login: "dev" });
  });
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0)) await cleanup();
    if (!skip) await t.dispose();
  });

  const receiver = async (options: Parameters<typeof startWebhookReceiver>[0] = {}): Promise<WebhookReceiver> => {
    const r = await startWebhookReceiver(options);
    cleanups.push(() => r.close());
    return r;
  };
  const hook = (url: string, overrides: Partial<HookInput> = {}) =>
    t.webhooks.createHook({
      scope: "repository",
      repoId: repo.id,
      url,
      contentType: "json",
      secret: null,
      insecureSsl: false,
      events: ["*"],
      active: true,
      ...overrides,
    });
  const dispatcher = (overrides: Partial<DispatcherOptions> = {}) => {
    const d = createWebhookDispatcher({
      store: t.store,
      webhooks: t.webhooks,
      urls: () => URLS,
      allowPrivate: true,
      baseDelayMs: 20,
      maxDelayMs: 40,
      log: { warn: (fields, message) => console.warn(message, JSON.stringify(fields)) },
      ...overrides,
    });
    cleanups.push(() => d.close());
    return d;
  };
  const secretToken = () => random.githubToken("ghp");
  /** Runs passes until `done` holds (retries are due after their backoff). */
  const until = async (
    d: ReturnType<typeof dispatcher>,
    done: () => Promise<boolean> | boolean,
    ms = 10_000,
  ): Promise<void> => {
    const deadline = Date.now() + ms;
    while (!(await done())) {
      if (Date.now() > deadline) throw new Error("condition not reached");
      await d.runOnce();
      await new Promise((r) => setTimeout(r, 10));
    }
  };

  it.skipIf(skip)(
    "delivers publicly_leaked when the repository is made public; timeline-only events (a partner's report) are not sent",
    async () => {
      const r = await receiver();
      await hook(r.url);
      const secret = secretToken();
      await t.store.recordDetections(repo.id, [
        detection("github_personal_access_token", "GitHub Personal Access Token", "GitHub", secret, "a.env", 1),
      ]);
      const alert = (await t.store.getAlert(repo.id, 1))!;
      // What the partner loop writes for the alert's timeline: no alert snapshot, no GitHub action.
      await t.db
        .insertInto("alert_events")
        .values({
          alert_id: alert.id,
          repo_id: repo.id,
          action: "partner_reported",
          actor_id: null,
          payload: JSON.stringify({ partner: "pypi" }),
          created_at: new Date().toISOString(),
        })
        .execute();
      await t.store.updateRepository(repo.id, { isPublic: true });
      const d = dispatcher();
      await until(d, () => r.received.length >= 2);
      await d.runOnce();
      await d.close();
      expect(r.received.map((x) => x.payload.action)).toEqual(["created", "publicly_leaked"]);
      expect(r.received[1]!.payload).toMatchObject({ alert: { number: 1, publicly_leaked: true } });
    },
  );

  it.skipIf(skip)(
    "delivers created, assigned, resolved and validated with GitHub's headers and a signature @octokit/webhooks verifies; never the secret",
    async () => {
      const hookSecret = random.alnum(24);
      const r = await receiver({ secret: hookSecret });
      const h = await hook(r.url, { secret: hookSecret });
      const secret = secretToken();
      await t.store.recordDetections(
        repo.id,
        [detection("github_personal_access_token", "GitHub Personal Access Token", "GitHub", secret, "a.env", 1)],
        { actorId: dev.id, bypass: { reason: "will_fix_later", userId: dev.id, at: new Date().toISOString() } },
      );
      await t.store.setRepoRole(repo.id, dev.id, "write");
      await t.store.updateAlert(repo.id, 1, { assigneeId: dev.id }, dev.id);
      await t.store.updateAlert(repo.id, 1, { state: "resolved", resolution: "revoked" }, dev.id);
      await t.store.updateAlert(repo.id, 1, { validity: "inactive" }, null);
      const d = dispatcher();
      await until(d, () => r.received.length >= 4);
      await d.close(); // waits for the attempts in flight to be recorded
      const [created, assigned, resolved, validated] = r.received;
      expect(r.received.map((x) => x.verified)).toEqual([true, true, true, true]);
      expect(validated!.payload).toMatchObject({ action: "validated", alert: { validity: "inactive" } });
      expect(validated!.payload).not.toHaveProperty("sender");
      expect(created!.headers).toMatchObject({
        "x-github-event": "secret_scanning_alert",
        "x-github-hook-id": String(h.id),
        "user-agent": USER_AGENT,
        "content-type": "application/json",
        "x-github-hook-installation-target-type": "repository",
      });
      expect(created!.headers["user-agent"]).toMatch(/^GitHub-Hookshot\//);
      expect(created!.headers["x-github-delivery"]).toMatch(/^[0-9a-f-]{36}$/);
      expect(created!.headers["x-hub-signature"]).toBe(
        `sha1=${createHmac("sha1", hookSecret).update(created!.body).digest("hex")}`,
      );
      expect(created!.payload).toMatchObject({
        action: "created",
        alert: {
          number: 1,
          state: "open",
          secret_type: "github_personal_access_token",
          secret_category: "default",
          push_protection_bypassed: true,
          push_protection_bypassed_by: { login: "dev" },
          url: `${URLS.api}/repos/acme/api/secret-scanning/alerts/1`,
        },
        repository: { full_name: "acme/api" },
        organization: { login: "acme" },
        enterprise: { slug: "vigil" },
        sender: { login: "dev" },
      });
      expect(assigned!.payload).toMatchObject({
        action: "assigned",
        assignee: { login: "dev" },
        alert: { assigned_to: { login: "dev" } },
      });
      expect(resolved!.payload).toMatchObject({
        action: "resolved",
        alert: { state: "resolved", resolution: "revoked", resolved_by: { login: "dev" } },
      });
      for (const x of r.received) {
        expect(x.body).not.toContain(secret);
        expect(x.payload.alert).not.toHaveProperty("secret");
      }
      // Each event has its own GUID; the log records the attempt.
      expect(new Set(r.received.map((x) => x.headers["x-github-delivery"])).size).toBe(4);
      const log = await t.webhooks.listDeliveries(h.id, { perPage: 10 });
      expect(log.map((x) => [x.action, x.status, x.statusCode, x.attempts])).toEqual([
        ["validated", "delivered", 202, 1],
        ["resolved", "delivered", 202, 1],
        ["assigned", "delivered", 202, 1],
        ["created", "delivered", 202, 1],
      ]);
      expect(await t.store.listUndeliveredEvents(10)).toEqual([]);
    },
  );

  it.skipIf(skip)(
    "a new location of a known secret is secret_scanning_alert_location created, form-encoded when asked",
    async () => {
      const hookSecret = random.alnum(24);
      const r = await receiver({ secret: hookSecret });
      await hook(r.url, { secret: hookSecret, contentType: "form", events: ["secret_scanning_alert_location"] });
      const secret = secretToken();
      await t.store.recordDetections(repo.id, [
        detection("github_personal_access_token", "GitHub Personal Access Token", "GitHub", secret, "a.env", 1),
      ]);
      await t.store.recordDetections(repo.id, [
        detection("github_personal_access_token", "GitHub Personal Access Token", "GitHub", secret, "b.env", 2),
      ]);
      const d = dispatcher();
      await until(d, () => r.received.length >= 1);
      await d.runOnce();
      expect(r.received).toHaveLength(1); // the hook did not subscribe to secret_scanning_alert
      const [location] = r.received;
      expect(location!.headers["content-type"]).toBe("application/x-www-form-urlencoded");
      expect(location!.body.startsWith("payload=")).toBe(true);
      expect(location!.verified).toBe(true);
      expect(location!.headers["x-github-event"]).toBe("secret_scanning_alert_location");
      expect(location!.payload).toMatchObject({
        action: "created",
        location: { type: "commit", details: { path: "b.env", start_line: 3 } },
        alert: { number: 1 },
      });
    },
  );

  it.skipIf(skip)(
    "retries a failing endpoint with the same GUID until it answers; the log and the hook say why",
    async () => {
      const r = await receiver({
        behave: (_d, response, index) => {
          if (index < 2) {
            response.writeHead(503).end("down for maintenance");
            return "handled";
          }
        },
      });
      const h = await hook(r.url);
      await t.store.recordDetections(repo.id, [
        detection("github_personal_access_token", "GitHub Personal Access Token", "GitHub", secretToken(), "a.env", 1),
      ]);
      const d = dispatcher();
      await until(
        d,
        async () =>
          (await t.webhooks.listDeliveries(h.id, { perPage: 1 }))[0]?.status === "pending" &&
          (await t.webhooks.getHook(h.id))!.lastResponse.code === 503,
      );
      const failing = (await t.webhooks.listDeliveries(h.id, { perPage: 1 }))[0]!;
      expect(failing).toMatchObject({
        statusCode: 503,
        statusText: "Invalid HTTP Response: 503",
        responseBody: "down for maintenance",
      });
      expect((await t.webhooks.getHook(h.id))!.lastResponse).toEqual({
        code: 503,
        status: "failed",
        message: "Invalid HTTP Response: 503",
      });
      await until(d, () => r.received.length >= 1);
      const delivered = (await t.webhooks.getDelivery(h.id, failing.id))!;
      expect(delivered).toMatchObject({ status: "delivered", attempts: 3, statusCode: 202 });
      expect(r.received[0]!.headers["x-github-delivery"]).toBe(failing.guid);
      expect((await t.webhooks.getHook(h.id))!.lastResponse.status).toBe("active");
    },
  );

  it.skipIf(skip)(
    "gives up after the retry window; a hanging endpoint times out without holding up another hook",
    async () => {
      const hanging = createServer(() => undefined); // never answers
      await new Promise<void>((resolve) => hanging.listen(0, "127.0.0.1", resolve));
      cleanups.push(
        () =>
          new Promise((resolve) => {
            hanging.closeAllConnections();
            hanging.close(() => resolve());
          }),
      );
      const slow = await hook(`http://127.0.0.1:${(hanging.address() as AddressInfo).port}/`);
      const r = await receiver();
      await hook(r.url);
      await t.store.recordDetections(repo.id, [
        detection("github_personal_access_token", "GitHub Personal Access Token", "GitHub", secretToken(), "a.env", 1),
      ]);
      const d = dispatcher({ timeoutMs: 300, retryForMs: 0 });
      d.poke();
      await r.waitFor(1, 5000); // arrives while the other hook's attempt hangs
      await until(d, async () => (await t.webhooks.listDeliveries(slow.id, { perPage: 1 }))[0]?.status === "failed");
      const [gaveUp] = await t.webhooks.listDeliveries(slow.id, { perPage: 1 });
      expect(gaveUp).toMatchObject({
        status: "failed",
        attempts: 1,
        statusCode: null,
        statusText: "timed out after 0.3 s",
      });
    },
  );

  it.skipIf(skip)(
    "refuses private addresses unless allowed, follows no redirect and reads a bounded response",
    async () => {
      const target = createServer((request, response) => {
        if (request.url === "/redirect") response.writeHead(302, { location: "http://127.0.0.1:1/elsewhere" }).end();
        else response.writeHead(200).end("x".repeat(1024 * 1024));
      });
      await new Promise<void>((resolve) => target.listen(0, "127.0.0.1", resolve));
      cleanups.push(
        () =>
          new Promise((resolve) => {
            target.closeAllConnections();
            target.close(() => resolve());
          }),
      );
      const base = `http://127.0.0.1:${(target.address() as AddressInfo).port}`;
      const redirect = await hook(`${base}/redirect`);
      const big = await hook(`${base}/big`);
      const localhost = await hook(`http://localhost:${(target.address() as AddressInfo).port}/`);
      await t.store.recordDetections(repo.id, [
        detection("github_personal_access_token", "GitHub Personal Access Token", "GitHub", secretToken(), "a.env", 1),
      ]);

      const guarded = dispatcher({ allowPrivate: false, retryForMs: 0 });
      await guarded.runOnce();
      const refused = (await t.webhooks.listDeliveries(localhost.id, { perPage: 1 }))[0]!;
      expect(refused.status).toBe("failed");
      expect(refused.statusText).toMatch(
        /^refused: localhost resolves to (127\.0\.0\.1|::1), a loopback, private or link-local address/,
      );
      expect((await t.webhooks.getHook(localhost.id))!.lastResponse.message).toContain("--allow-private-webhooks");

      // Allowed: the redirect is a failure (not followed), the large answer is cut at 64 KiB.
      const redelivered = async (hookId: number) => {
        const original = (await t.webhooks.listDeliveries(hookId, { perPage: 1 }))[0]!;
        return t.webhooks.createDelivery({
          ...original,
          eventId: null,
          redelivery: true,
          giveUpAt: original.createdAt,
        });
      };
      const [r1, r2] = [await redelivered(redirect.id), await redelivered(big.id)];
      await dispatcher({ allowPrivate: true, retryForMs: 0 }).runOnce();
      expect(await t.webhooks.getDelivery(redirect.id, r1.id)).toMatchObject({
        status: "failed",
        statusCode: 302,
        statusText: "Invalid HTTP Response: 302",
      });
      const bigDelivery = (await t.webhooks.getDelivery(big.id, r2.id))!;
      expect(bigDelivery.status).toBe("delivered");
      expect(bigDelivery.responseBody!.length).toBeLessThanOrEqual(64 * 1024);
    },
  );

  it.skipIf(skip)(
    "a completed backfill scan is secret_scanning_scan completed, once, to hooks that existed then; push scans are not announced",
    async () => {
      const old = await t.store.createScan({ repoId: repo.id, kind: "backfill", type: "git" });
      await t.store.updateScan(old.id, {
        status: "completed",
        startedAt: new Date(Date.now() - 60_000).toISOString(),
        completedAt: new Date(Date.now() - 30_000).toISOString(),
      });
      const r = await receiver();
      await hook(r.url, { events: ["secret_scanning_scan"] });
      const started = new Date().toISOString();
      const backfill = await t.store.createScan({ repoId: repo.id, kind: "custom_pattern_backfill", type: "git" });
      // The rescan after an edit of an organization pattern, which dev made.
      await t.customPatterns.recordScan(
        backfill.id,
        { name: "Acme key", scope: "organization" },
        { type: "pattern-version-backfill", senderId: dev.id },
      );
      await t.store.updateScan(backfill.id, {
        status: "completed",
        startedAt: started,
        completedAt: new Date(Date.now() + 5).toISOString(),
      });
      const push = await t.store.createScan({ repoId: repo.id, kind: "incremental", type: "git" });
      await t.store.updateScan(push.id, {
        status: "completed",
        startedAt: started,
        completedAt: new Date(Date.now() + 5).toISOString(),
      });
      const d = dispatcher({ customPatterns: t.customPatterns });
      await until(d, () => r.received.length >= 1);
      await d.runOnce();
      await d.runOnce();
      expect(r.received).toHaveLength(1);
      expect(r.received[0]!.headers["x-github-event"]).toBe("secret_scanning_scan");
      expect(r.received[0]!.payload).toMatchObject({
        action: "completed",
        type: "pattern-version-backfill",
        source: "git",
        started_at: started.replace(/\.\d{3}Z$/, "Z"),
        secret_types: [],
        custom_pattern_name: "Acme key",
        custom_pattern_scope: "organization",
        repository: { full_name: "acme/api" },
        organization: { login: "acme" },
        sender: { login: "dev", id: dev.id },
      });
    },
  );

  it("classifies addresses: loopback, private, link-local, mapped and unique-local are private; public ones are not", () => {
    for (const a of [
      "127.0.0.1",
      "10.1.2.3",
      "172.20.0.1",
      "192.168.1.1",
      "169.254.169.254",
      "0.0.0.0",
      "::1",
      "fe80::1",
      "fd00::1",
      "::ffff:127.0.0.1",
      "100.64.0.1",
    ])
      expect(isPrivateAddress(a), a).toBe(true);
    for (const a of ["8.8.8.8", "140.82.112.3", "2606:4700:4700::1111", "::ffff:8.8.8.8"])
      expect(isPrivateAddress(a), a).toBe(false);
  });
});
