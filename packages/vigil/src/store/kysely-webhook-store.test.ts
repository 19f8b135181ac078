import { ExampleRandom } from "vigil-secrets-engine";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Repository } from "../alerts/types.js";
import { detection } from "../test-support/api-fixture.js";
import type { HookInput, NewDelivery } from "../webhooks/webhook-store.js";
import { openTestStore, testDialects, type TestStore } from "./test-databases.js";

const KEY = { VIGIL_SECRET_KEY: Buffer.alloc(32, 9).toString("base64") };
const random = new ExampleRandom(0x0b0e);
const hookInput = (overrides: Partial<HookInput> = {}): HookInput => ({
  url: "https://hooks.example.com/vigil",
  contentType: "json",
  secret: null,
  insecureSsl: false,
  events: ["secret_scanning_alert"],
  active: true,
  ...overrides,
});

describe.each(testDialects())("webhook store on $name", (dialect) => {
  const skip = dialect.name === "postgres" && !dialect.url;
  let t: TestStore;
  let repo: Repository;
  let otherRepo: Repository;
  const later = new Date(Date.now() + 3_600_000).toISOString();

  beforeEach(async () => {
    if (skip) return;
    t = await openTestStore(dialect, { env: KEY });
    repo = await t.store.createRepository({ owner: "acme", name: "api", sourceUrl: null, mirrorPath: "/tmp/none-api" });
    otherRepo = await t.store.createRepository({
      owner: "globex",
      name: "web",
      sourceUrl: null,
      mirrorPath: "/tmp/none-web",
    });
  });
  afterEach(async () => {
    if (!skip) await t.dispose();
  });

  const delivery = (hookId: number, overrides: Partial<NewDelivery> = {}): NewDelivery => ({
    guid: crypto.randomUUID(),
    hookId,
    event: "secret_scanning_alert",
    action: "created",
    repoId: repo.id,
    orderKey: "alert:1",
    body: "{}",
    giveUpAt: later,
    ...overrides,
  });

  it.skipIf(skip)(
    "keeps hooks per scope, encrypts the secret at rest and returns it only through getHookSecret",
    async () => {
      const secret = random.alnum(32);
      const hook = await t.webhooks.createHook({
        scope: "repository",
        repoId: repo.id,
        ...hookInput({ secret, contentType: "form" }),
      });
      expect(hook).toMatchObject({
        scope: "repository",
        repoId: repo.id,
        contentType: "form",
        hasSecret: true,
        active: true,
        events: ["secret_scanning_alert"],
        lastResponse: { code: null, status: "unused", message: null },
      });
      expect(JSON.stringify(hook)).not.toContain(secret);
      const raw = await t.db
        .selectFrom("webhooks")
        .select("secret_ciphertext")
        .where("id", "=", hook.id)
        .executeTakeFirstOrThrow();
      expect(raw.secret_ciphertext).not.toContain(secret);
      expect(await t.webhooks.getHookSecret(hook.id)).toBe(secret);

      const orgHook = await t.webhooks.createHook({ scope: "organization", orgId: repo.orgId, ...hookInput() });
      const instanceHook = await t.webhooks.createHook({ scope: "instance", ...hookInput({ events: ["*"] }) });
      await t.webhooks.createHook({ scope: "organization", orgId: otherRepo.orgId, ...hookInput() });
      const inactive = await t.webhooks.createHook({
        scope: "repository",
        repoId: repo.id,
        ...hookInput({ active: false }),
      });
      expect((await t.webhooks.listHooks({ scope: "repository", repoId: repo.id })).map((h) => h.id)).toEqual([
        hook.id,
        inactive.id,
      ]);
      expect((await t.webhooks.listHooksForRepository(repo.id, repo.orgId)).map((h) => h.id)).toEqual([
        hook.id,
        orgHook.id,
        instanceHook.id,
      ]);

      const updated = await t.webhooks.updateHook(hook.id, {
        secret: null,
        url: "https://other.example.com/x",
        events: ["*"],
      });
      expect(updated).toMatchObject({ hasSecret: false, url: "https://other.example.com/x", events: ["*"] });
      expect(await t.webhooks.getHookSecret(hook.id)).toBeNull();
      expect(await t.webhooks.deleteHook(hook.id)).toBe(true);
      expect(await t.webhooks.deleteHook(hook.id)).toBe(false);
      expect(await t.webhooks.getHook(hook.id)).toBeNull();
    },
  );

  it.skipIf(skip)(
    "fans outbox events out once: deliveries and the event's delivered mark in one transaction",
    async () => {
      await t.store.recordDetections(repo.id, [
        detection(
          "github_personal_access_token",
          "GitHub Personal Access Token",
          "GitHub",
          random.githubToken("ghp"),
          "a.env",
          1,
        ),
      ]);
      const [event] = await t.store.listUndeliveredEvents(10);
      const hook = await t.webhooks.createHook({ scope: "repository", repoId: repo.id, ...hookInput() });
      const guid = crypto.randomUUID();
      await t.webhooks.enqueueEventDeliveries([event!.id], [delivery(hook.id, { eventId: event!.id, guid })]);
      // A second fan-out of the same event (after a crash before the first was known to commit) adds nothing.
      await t.webhooks.enqueueEventDeliveries([event!.id], [delivery(hook.id, { eventId: event!.id })]);
      expect(await t.store.listUndeliveredEvents(10)).toEqual([]);
      const due = await t.webhooks.listDueDeliveries(new Date().toISOString(), 10, []);
      expect(due).toHaveLength(1);
      expect(due[0]).toMatchObject({ guid, eventId: event!.id, status: "pending", attempts: 0 });
    },
  );

  it.skipIf(skip)(
    "hands out one delivery per hook and alert at a time, oldest first; other hooks and alerts are not held up",
    async () => {
      const a = await t.webhooks.createHook({ scope: "repository", repoId: repo.id, ...hookInput() });
      const b = await t.webhooks.createHook({ scope: "repository", repoId: repo.id, ...hookInput() });
      const first = await t.webhooks.createDelivery(delivery(a.id, { orderKey: "alert:1" }));
      const second = await t.webhooks.createDelivery(delivery(a.id, { orderKey: "alert:1" }));
      const otherAlert = await t.webhooks.createDelivery(delivery(a.id, { orderKey: "alert:2" }));
      const otherHook = await t.webhooks.createDelivery(delivery(b.id, { orderKey: "alert:1" }));
      const now = () => new Date().toISOString();
      expect((await t.webhooks.listDueDeliveries(now(), 10, [])).map((d) => d.id)).toEqual([
        first.id,
        otherAlert.id,
        otherHook.id,
      ]);
      expect((await t.webhooks.listDueDeliveries(now(), 10, [first.id])).map((d) => d.id)).toEqual([
        otherAlert.id,
        otherHook.id,
      ]);

      // The first fails and waits for its retry: the second of the same alert waits behind it.
      const retryAt = new Date(Date.now() + 60_000).toISOString();
      await t.webhooks.beginAttempt(first.id, retryAt);
      const failed = await t.webhooks.finishAttempt(first.id, {
        ok: false,
        statusCode: 500,
        statusText: "Invalid HTTP Response: 500",
        duration: 0.01,
        requestHeaders: { "X-GitHub-Delivery": first.guid },
        responseHeaders: { "content-type": "text/plain" },
        responseBody: "boom",
        retryAt,
      });
      expect(failed).toMatchObject({
        status: "pending",
        attempts: 1,
        statusCode: 500,
        responseBody: "boom",
        requestHeaders: { "X-GitHub-Delivery": first.guid },
      });
      expect((await t.webhooks.getHook(a.id))!.lastResponse).toEqual({
        code: 500,
        status: "failed",
        message: "Invalid HTTP Response: 500",
      });
      expect((await t.webhooks.listDueDeliveries(now(), 10, [])).map((d) => d.id)).toEqual([
        otherAlert.id,
        otherHook.id,
      ]);

      // It succeeds: the second is next.
      const done = await t.webhooks.finishAttempt(first.id, {
        ok: true,
        statusCode: 202,
        statusText: "OK",
        duration: 0.02,
        requestHeaders: {},
        responseHeaders: {},
        responseBody: "",
        retryAt: null,
      });
      expect(done.status).toBe("delivered");
      expect((await t.webhooks.getHook(a.id))!.lastResponse).toEqual({ code: 202, status: "active", message: "OK" });
      expect((await t.webhooks.listDueDeliveries(now(), 10, [])).map((d) => d.id)).toEqual([
        second.id,
        otherAlert.id,
        otherHook.id,
      ]);

      // Giving up marks it failed and releases the ones behind it.
      await t.webhooks.finishAttempt(second.id, {
        ok: false,
        statusCode: null,
        statusText: "timed out",
        duration: 10,
        requestHeaders: {},
        responseHeaders: null,
        responseBody: null,
        retryAt: null,
      });
      expect((await t.webhooks.getDelivery(a.id, second.id))!.status).toBe("failed");
      expect(await t.webhooks.countDeliveries("failed")).toBe(1);
      expect((await t.webhooks.listDeliveries(a.id, { perPage: 2 })).map((d) => d.id)).toEqual([
        otherAlert.id,
        second.id,
      ]);
      expect((await t.webhooks.listDeliveries(a.id, { perPage: 5, beforeId: second.id })).map((d) => d.id)).toEqual([
        first.id,
      ]);
      expect(await t.webhooks.getDelivery(b.id, first.id)).toBeNull();
    },
  );

  it.skipIf(skip)("deleting a hook removes its delivery log", async () => {
    const hook = await t.webhooks.createHook({ scope: "repository", repoId: repo.id, ...hookInput() });
    await t.webhooks.createDelivery(delivery(hook.id));
    await t.webhooks.deleteHook(hook.id);
    expect(await t.webhooks.countDeliveries()).toBe(0);
  });
});
