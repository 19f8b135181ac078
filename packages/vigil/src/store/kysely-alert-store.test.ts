import { readFileSync, existsSync } from "node:fs";
import { join } from "node:path";
import { builtinPatterns, createMatcher, ExampleRandom, hasValidGithubChecksum } from "vigil-secrets-engine";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  StoreConflictError,
  StoreInputError,
  StoreNotFoundError,
  StoreUnchangedError,
  type AlertQuery,
  type AlertStore,
} from "../alerts/alert-store.js";
import type { Alert, CommitLocationDetails, DetectedSecret, Repository } from "../alerts/types.js";
import { createAlertStore } from "./kysely-alert-store.js";
import { loadSecretKey } from "./load-secret-key.js";
import { MIGRATIONS, migrateToLatest } from "./migrate.js";
import { createSecretBox } from "./secret-box.js";
import { openTestStore, testDialects, type TestStore } from "./test-databases.js";

/** A clock the tests move: every call is one millisecond later, so creation order is strict and known. */
function steppingClock(start = Date.parse("2026-01-01T00:00:00.000Z")) {
  let t = start;
  return { now: () => new Date(t++), advance: (ms: number) => void (t += ms) };
}

let counter = 0;
const random = new ExampleRandom(0xa1e7);

function location(overrides: Partial<CommitLocationDetails> = {}): DetectedSecret["location"] {
  counter++;
  return {
    type: "commit",
    details: {
      path: `src/config-${counter}.ts`,
      startLine: 3,
      endLine: 3,
      startColumn: 10,
      endColumn: 50,
      blobSha: random.hex(40),
      commitSha: random.hex(40),
      ...overrides,
    },
  };
}

function detection(secret: string, overrides: Partial<DetectedSecret> = {}): DetectedSecret {
  return {
    secretType: "github_personal_access_token",
    secretTypeDisplayName: "GitHub Personal Access Token",
    provider: "GitHub",
    secretCategory: "default",
    secret,
    isBase64Encoded: false,
    location: location(),
    ...overrides,
  };
}

const token = (): string => random.githubToken("ghp");

describe.each(testDialects())("alert store on $name", (dialect) => {
  if (dialect.name === "postgres" && !dialect.url) {
    it.skip("PostgreSQL suite skipped: set VIGIL_TEST_POSTGRES_URL (e.g. postgres://postgres@127.0.0.1:5432/test) to run it", () => {});
    return;
  }

  let opened: TestStore;
  let store: AlertStore;
  let clock: ReturnType<typeof steppingClock>;
  let repoA: Repository;
  let repoB: Repository;

  beforeEach(async () => {
    clock = steppingClock();
    opened = await openTestStore(dialect, { now: clock.now });
    store = opened.store;
    repoA = await store.createRepository({
      owner: "acme",
      name: "app",
      sourceUrl: null,
      mirrorPath: "mirrors/acme/app.git",
    });
    repoB = await store.createRepository({
      owner: "acme",
      name: "lib",
      sourceUrl: "https://git.example/acme/lib.git",
      mirrorPath: "mirrors/acme/lib.git",
    });
  });

  afterEach(async () => {
    await opened.dispose();
  });

  describe("schema", () => {
    it("applies the migrations once: opening again and migrating again change nothing", async () => {
      expect(opened.migrated).toEqual(Object.keys(MIGRATIONS));
      expect(opened.migrated[0]).toBe("0001-initial");
      expect(await migrateToLatest(opened.db)).toEqual([]);
      expect(await migrateToLatest(opened.db)).toEqual([]);
      expect(await store.listRepositories()).toHaveLength(2);
    });
  });

  describe("users, organizations and repositories", () => {
    it("creates users with case-insensitive unique logins", async () => {
      const user = await store.createUser({ login: "Octocat", email: "octo@example.com" });
      expect(user).toMatchObject({ login: "Octocat", email: "octo@example.com", name: null, siteAdmin: false });
      expect((await store.getUserByLogin("octocat"))?.id).toBe(user.id);
      expect((await store.getUserById(user.id))?.login).toBe("Octocat");
      await expect(store.createUser({ login: "OCTOCAT" })).rejects.toBeInstanceOf(StoreConflictError);
      expect(await store.getUserByLogin("nobody")).toBeNull();
      expect((await store.listUsers()).map((u) => u.login)).toEqual(["Octocat"]);
    });

    it("creates repositories in their organization, refuses duplicates, and looks them up by owner/name", async () => {
      expect(repoA).toMatchObject({
        fullName: "acme/app",
        name: "app",
        sourceUrl: null,
        secretScanningEnabled: true,
        pushProtectionEnabled: false,
      });
      expect(repoA.orgId).toBe(repoB.orgId);
      await expect(
        store.createRepository({ owner: "ACME", name: "App", sourceUrl: null, mirrorPath: "x" }),
      ).rejects.toBeInstanceOf(StoreConflictError);
      expect((await store.getRepository("Acme", "APP"))?.id).toBe(repoA.id);
      expect(await store.getRepository("acme", "missing")).toBeNull();
      const org = (await store.getOrganization("acme"))!;
      expect(await store.ensureOrganization("acme")).toEqual(org);
      const other = await store.ensureOrganization("umbrella");
      expect((await store.listOrganizations()).map((o) => o.login)).toEqual(["acme", "umbrella"]);
      expect((await store.listRepositories({ orgId: other.id })).length).toBe(0);
      expect((await store.listRepositories({ orgId: org.id })).map((r) => r.name)).toEqual(["app", "lib"]);
    });

    it("updates organization and repository settings; a new repository takes its organization's", async () => {
      const org = (await store.getOrganization("acme"))!;
      const updated = await store.updateOrganization(org.id, {
        pushProtectionEnabled: true,
        pushProtectionCustomLink: "https://wiki.example/secrets",
      });
      expect(updated).toMatchObject({
        pushProtectionEnabled: true,
        secretScanningEnabled: true,
        pushProtectionCustomLink: "https://wiki.example/secrets",
      });
      expect(await store.getOrganizationById(org.id)).toEqual(updated);
      const repo = await store.createRepository({ owner: "acme", name: "new", sourceUrl: null, mirrorPath: "m" });
      expect(repo.pushProtectionEnabled).toBe(true);
      const changed = await store.updateRepository(repoA.id, {
        secretScanningEnabled: false,
        sourceUrl: "/srv/git/app.git",
      });
      expect(changed).toMatchObject({
        secretScanningEnabled: false,
        sourceUrl: "/srv/git/app.git",
        pushProtectionEnabled: false,
      });
      await expect(store.updateRepository(999_999, { secretScanningEnabled: true })).rejects.toBeInstanceOf(
        StoreNotFoundError,
      );
    });

    it("keeps roles and derives the repositories whose alerts a user may see", async () => {
      const org = (await store.getOrganization("acme"))!;
      const umbrella = await store.createRepository({
        owner: "umbrella",
        name: "core",
        sourceUrl: null,
        mirrorPath: "m",
      });
      const alice = await store.createUser({ login: "alice" });
      const bob = await store.createUser({ login: "bob" });
      const carol = await store.createUser({ login: "carol" });
      const root = await store.createUser({ login: "root", siteAdmin: true });

      await store.setOrgRole(org.id, alice.id, "security_manager");
      await store.setRepoRole(repoB.id, bob.id, "admin");
      await store.setRepoRole(repoA.id, bob.id, "write");
      await store.setOrgRole(org.id, carol.id, "member");
      await store.setRepoRole(repoA.id, carol.id, "read");

      expect(await store.getRoles(alice.id, repoA.id)).toEqual({ orgRole: "security_manager", repoRole: null });
      expect(await store.getRoles(bob.id, repoA.id)).toEqual({ orgRole: null, repoRole: "write" });
      expect(await store.getRoles(bob.id, umbrella.id)).toEqual({ orgRole: null, repoRole: null });
      expect(await store.getOrgRole(alice.id, org.id)).toBe("security_manager");
      expect(await store.getOrgRole(bob.id, org.id)).toBeNull();

      expect(await store.listAlertViewableRepoIds(alice.id)).toEqual([repoA.id, repoB.id]);
      expect(await store.listAlertViewableRepoIds(alice.id, umbrella.orgId)).toEqual([]);
      expect(await store.listAlertViewableRepoIds(bob.id)).toEqual([repoB.id]);
      expect(await store.listAlertViewableRepoIds(carol.id)).toEqual([]);
      expect(await store.listAlertViewableRepoIds(root.id)).toEqual([repoA.id, repoB.id, umbrella.id]);

      await store.setOrgRole(org.id, alice.id, "owner");
      expect(await store.getOrgRole(alice.id, org.id)).toBe("owner");
      await store.setOrgRole(org.id, alice.id, null);
      await store.setRepoRole(repoB.id, bob.id, null);
      expect(await store.listAlertViewableRepoIds(alice.id)).toEqual([]);
      expect(await store.getRoles(bob.id, repoB.id)).toEqual({ orgRole: null, repoRole: null });
    });
  });

  describe("recording detections", () => {
    it("numbers alerts per repository from 1", async () => {
      const a = await store.recordDetections(repoA.id, [detection(token()), detection(token())]);
      const b = await store.recordDetections(repoB.id, [detection(token())]);
      const a2 = await store.recordDetections(repoA.id, [detection(token())]);
      expect(a.created.map((x) => x.number)).toEqual([1, 2]);
      expect(b.created.map((x) => x.number)).toEqual([1]);
      expect(a2.created.map((x) => x.number)).toEqual([3]);
      expect((await store.getAlert(repoA.id, 3))?.id).toBe(a2.created[0]!.id);
      expect(await store.getAlert(repoA.id, 4)).toBeNull();
    });

    it("keeps one alert per secret: a new location is appended once, a repeated scan changes nothing", async () => {
      const secret = token();
      const first = detection(secret);
      const r1 = await store.recordDetections(repoA.id, [first]);
      expect(r1.created).toHaveLength(1);
      const alert = r1.created[0]!;
      expect(alert).toMatchObject({
        number: 1,
        secret,
        state: "open",
        validity: "unknown",
        locationCount: 1,
        providerSlug: "github",
        secretCategory: "default",
        multiRepo: false,
        pushProtectionBypassed: false,
      });
      expect(alert.firstLocation?.details).toEqual(first.location.details);

      const second = detection(secret);
      const r2 = await store.recordDetections(repoA.id, [first, second]);
      expect(r2).toMatchObject({ created: [], locationsAdded: 1 });
      expect(r2.updated.map((a) => a.id)).toEqual([alert.id]);
      expect(r2.updated[0]!.locationCount).toBe(2);
      expect(r2.updated[0]!.firstLocation?.details).toEqual(first.location.details);

      const r3 = await store.recordDetections(repoA.id, [second, first]);
      expect(r3).toEqual({ created: [], updated: [], locationsAdded: 0 });

      // The same commit and path at other columns is another location; the same secret under another type is another alert.
      const moved = {
        ...second,
        location: {
          type: "commit" as const,
          details: { ...(second.location.details as CommitLocationDetails), startColumn: 1, endColumn: 41 },
        },
      };
      expect((await store.recordDetections(repoA.id, [moved])).locationsAdded).toBe(1);
      const retyped = await store.recordDetections(repoA.id, [
        detection(secret, {
          secretType: "github_oauth_access_token",
          secretTypeDisplayName: "GitHub OAuth Access Token",
        }),
      ]);
      expect(retyped.created.map((a) => a.number)).toEqual([2]);

      const locations = await store.listLocations(alert.id, { page: 1, perPage: 10 });
      expect(locations.map((l) => l.details)).toEqual([
        first.location.details,
        second.location.details,
        moved.location.details,
      ]);
      expect((await store.listLocations(alert.id, { page: 2, perPage: 2 })).map((l) => l.details)).toEqual([
        moved.location.details,
      ]);
      expect((await store.listEvents(alert.id)).map((e) => e.action)).toEqual([
        "created",
        "location_created",
        "location_created",
      ]);
      expect(await store.hasAlertForSecret(repoA.id, "github_personal_access_token", secret)).toBe(true);
      expect(await store.hasAlertForSecret(repoB.id, "github_personal_access_token", secret)).toBe(false);
      expect(await store.hasAlertForSecret(repoA.id, "github_personal_access_token", token())).toBe(false);
    });

    it("records one alert with all its locations when a batch holds the same secret twice", async () => {
      const secret = token();
      const result = await store.recordDetections(repoA.id, [detection(secret), detection(token()), detection(secret)]);
      expect(result.created.map((a) => [a.number, a.locationCount])).toEqual([
        [1, 2],
        [2, 1],
      ]);
      expect(result.locationsAdded).toBe(3);
      expect((await store.listEvents(result.created[0]!.id)).map((e) => e.action)).toEqual(["created"]);
    });

    it("allocates numbers without gaps or duplicates under parallel writers", async () => {
      const shared = token();
      const batches = Array.from({ length: 12 }, (_, i) => [
        detection(token()),
        detection(shared),
        ...(i % 3 === 0 ? [detection(token())] : []),
      ]);
      const results = await Promise.all(batches.map((batch) => store.recordDetections(repoA.id, batch)));
      const numbers = results.flatMap((r) => r.created.map((a) => a.number)).sort((x, y) => x - y);
      const expected = 12 + 1 + 4;
      expect(numbers).toEqual(Array.from({ length: expected }, (_, i) => i + 1));
      const page = await store.listAlerts({
        repoIds: [repoA.id],
        sort: "created",
        direction: "asc",
        perPage: 100,
        page: 1,
      });
      expect(page.alerts).toHaveLength(expected);
      const sharedAlerts = page.alerts.filter((a) => a.secret === shared);
      expect(sharedAlerts).toHaveLength(1);
      expect(sharedAlerts[0]!.locationCount).toBe(12);
    });

    it("marks a secret found in two repositories as multi-repo, in both", async () => {
      const secret = token();
      const [inA] = (await store.recordDetections(repoA.id, [detection(secret), detection(token())])).created;
      expect(inA!.multiRepo).toBe(false);
      const [inB] = (await store.recordDetections(repoB.id, [detection(secret)])).created;
      expect(inB!.multiRepo).toBe(true);
      expect((await store.getAlert(repoA.id, inA!.number))!.multiRepo).toBe(true);
      expect((await store.getAlert(repoA.id, 2))!.multiRepo).toBe(false);
      const multi = await store.listAlerts({
        repoIds: [repoA.id, repoB.id],
        isMultiRepo: true,
        sort: "created",
        direction: "asc",
        perPage: 10,
        page: 1,
      });
      expect(multi.alerts.map((a) => [a.repoId, a.number])).toEqual([
        [repoA.id, 1],
        [repoB.id, 1],
      ]);
    });

    it("marks multi-repo both alerts of a secret recorded in two repositories at the same moment", async () => {
      for (let round = 0; round < 5; round++) {
        const secret = token();
        const [a, b] = await Promise.all([
          store.recordDetections(repoA.id, [detection(secret)]),
          store.recordDetections(repoB.id, [detection(secret)]),
        ]);
        for (const alert of [a.created[0]!, b.created[0]!])
          expect((await store.getAlert(alert.repoId, alert.number))!.multiRepo, `round ${round}`).toBe(true);
      }
    });

    it("records a push-protection bypass: closed for false positives and tests, open for fix-later", async () => {
      const user = await store.createUser({ login: "pusher" });
      const at = "2026-02-03T04:05:06.000Z";
      const [fp] = (
        await store.recordDetections(repoA.id, [detection(token())], {
          bypass: { reason: "false_positive", userId: user.id, at },
        })
      ).created;
      expect(fp).toMatchObject({
        state: "resolved",
        resolution: "false_positive",
        resolvedBy: user.id,
        resolvedAt: at,
        pushProtectionBypassed: true,
        pushProtectionBypassedBy: user.id,
        pushProtectionBypassedAt: at,
      });
      const events = await store.listEvents(fp!.id);
      expect(events.map((e) => [e.action, e.actorId])).toEqual([
        ["created", user.id],
        ["resolved", user.id],
      ]);
      expect((events[0]!.payload.alert as Alert).state).toBe("open");
      expect((events[1]!.payload.alert as Alert).state).toBe("resolved");

      const [tests] = (
        await store.recordDetections(repoA.id, [detection(token())], {
          bypass: { reason: "used_in_tests", userId: user.id, at },
        })
      ).created;
      expect(tests).toMatchObject({ state: "resolved", resolution: "used_in_tests" });
      const [later] = (
        await store.recordDetections(repoA.id, [detection(token())], {
          bypass: { reason: "will_fix_later", userId: user.id, at },
        })
      ).created;
      expect(later).toMatchObject({
        state: "open",
        resolution: null,
        resolvedAt: null,
        pushProtectionBypassed: true,
        pushProtectionBypassedBy: user.id,
      });
      expect((await store.listEvents(later!.id)).map((e) => e.action)).toEqual(["created"]);

      const bypassed = await store.listAlerts({
        repoIds: [repoA.id],
        isBypassed: true,
        sort: "created",
        direction: "asc",
        perPage: 10,
        page: 1,
      });
      expect(bypassed.alerts.map((a) => a.number)).toEqual([1, 2, 3]);
      await store.recordDetections(repoA.id, [detection(token())]);
      const notBypassed = await store.listAlerts({
        repoIds: [repoA.id],
        isBypassed: false,
        sort: "created",
        direction: "asc",
        perPage: 10,
        page: 1,
      });
      expect(notBypassed.alerts.map((a) => a.number)).toEqual([4]);
    });

    it("writes events fit for webhooks that never hold the secret, and an outbox that marks deliveries", async () => {
      const secret = token();
      const first = await store.recordDetections(repoA.id, [detection(secret)], { scanId: null });
      await store.recordDetections(repoA.id, [detection(secret)]);
      await store.updateAlert(
        repoA.id,
        1,
        { state: "resolved", resolution: "revoked", resolutionComment: "rotated" },
        null,
      );
      const events = await store.listEvents(first.created[0]!.id);
      expect(events.map((e) => e.action)).toEqual(["created", "location_created", "resolved"]);
      for (const event of events) {
        expect(JSON.stringify(event.payload)).not.toContain(secret);
        expect(event.payload.alert).toMatchObject({
          number: 1,
          secretType: "github_personal_access_token",
          repoId: repoA.id,
        });
        expect(event.payload.alert).not.toHaveProperty("secret");
        expect(event.repoId).toBe(repoA.id);
      }
      expect(events[1]!.payload.location).toMatchObject({ type: "commit" });

      const pending = await store.listUndeliveredEvents(2);
      expect(pending.map((e) => e.id)).toEqual(events.slice(0, 2).map((e) => e.id));
      await store.markEventsDelivered(pending.map((e) => e.id));
      expect((await store.listUndeliveredEvents(10)).map((e) => e.action)).toEqual(["resolved"]);
      expect((await store.listEvents(first.created[0]!.id))[0]!.deliveredAt).not.toBeNull();
    });
  });

  describe("updating alerts", () => {
    it("resolves, assigns and validates in one change, with one event each", async () => {
      const admin = await store.createUser({ login: "admin" });
      const dev = await store.createUser({ login: "dev" });
      await store.recordDetections(repoA.id, [detection(token())]);
      const before = (await store.getAlert(repoA.id, 1))!;
      const after = await store.updateAlert(
        repoA.id,
        1,
        {
          state: "resolved",
          resolution: "wont_fix",
          resolutionComment: "test fixture",
          assigneeId: dev.id,
          validity: "inactive",
        },
        admin.id,
      );
      expect(after).toMatchObject({
        state: "resolved",
        resolution: "wont_fix",
        resolvedBy: admin.id,
        resolutionComment: "test fixture",
        assigneeId: dev.id,
        validity: "inactive",
      });
      expect(after.resolvedAt).not.toBeNull();
      expect(after.updatedAt > before.updatedAt).toBe(true);
      const events = await store.listEvents(after.id);
      expect(events.map((e) => [e.action, e.actorId])).toEqual([
        ["created", null],
        ["resolved", admin.id],
        ["assigned", admin.id],
        ["validated", admin.id],
      ]);
      expect(events[2]!.payload.assigneeId).toBe(dev.id);

      // Resolving again with the same resolution is refused (GitHub's 400), with no event and no change.
      await expect(
        store.updateAlert(repoA.id, 1, { state: "resolved", resolution: "wont_fix", assigneeId: dev.id }, admin.id),
      ).rejects.toBeInstanceOf(StoreUnchangedError);
      expect(await store.getAlert(repoA.id, 1)).toEqual(after);
      // Nothing else changes: no event, same alert.
      const same = await store.updateAlert(repoA.id, 1, { assigneeId: dev.id }, admin.id);
      expect(same).toEqual(after);
      const unassigned = await store.updateAlert(repoA.id, 1, { assigneeId: null }, admin.id);
      expect(unassigned.assigneeId).toBeNull();
      expect((await store.listEvents(after.id)).map((e) => e.action).slice(-1)).toEqual(["unassigned"]);
      await expect(store.updateAlert(repoA.id, 99, { state: "open" }, null)).rejects.toBeInstanceOf(StoreNotFoundError);
      await expect(store.updateAlert(repoA.id, 1, { state: "resolved" }, null)).rejects.toBeInstanceOf(StoreInputError);
    });

    it("reopening clears the resolution, when and by whom, and the comment", async () => {
      const admin = await store.createUser({ login: "admin" });
      await store.recordDetections(repoA.id, [detection(token())]);
      await store.updateAlert(
        repoA.id,
        1,
        { state: "resolved", resolution: "false_positive", resolutionComment: "not a token" },
        admin.id,
      );
      const reopened = await store.updateAlert(
        repoA.id,
        1,
        { state: "open", resolution: null, resolutionComment: "it is a token" },
        admin.id,
      );
      expect(reopened).toMatchObject({
        state: "open",
        resolution: null,
        resolvedAt: null,
        resolvedBy: null,
        resolutionComment: null,
      });
      const events = await store.listEvents(reopened.id);
      expect(events.map((e) => e.action)).toEqual(["created", "resolved", "reopened"]);
      expect(events[2]!.payload.comment).toBe("it is a token");
    });

    it("a change that fails writes nothing: neither the alert nor its events", async () => {
      await store.recordDetections(repoA.id, [detection(token())]);
      const before = (await store.getAlert(repoA.id, 1))!;
      const eventsBefore = await store.listEvents(before.id);
      // The resolution is valid; the assignee does not exist (a foreign key): the whole change is refused.
      await expect(
        store.updateAlert(repoA.id, 1, { state: "resolved", resolution: "revoked", assigneeId: 987_654 }, null),
      ).rejects.toThrow();
      expect(await store.getAlert(repoA.id, 1)).toEqual(before);
      expect(await store.listEvents(before.id)).toEqual(eventsBefore);
      expect(await store.listUndeliveredEvents(100)).toHaveLength(1);
    });
  });

  describe.each([
    ["the planner's choice", undefined],
    ["a walk of the time index", 0],
  ] as const)("listing alerts, by %s", (_how, timeOrderThreshold) => {
    /** Lists through a second store on the same database, tuned to take the path under test. */
    const listerOf = (on: TestStore): AlertStore =>
      timeOrderThreshold === undefined
        ? on.store
        : createAlertStore({
            db: on.db,
            dialect: on.dialect,
            secretBox: createSecretBox(loadSecretKey({ dataDir: on.dataDir, env: {} }).key),
            timeOrderThreshold,
          });
    const lister = (): AlertStore => listerOf(opened);

    /** 9 alerts over two repositories, with varied fields, created 1 ms apart. */
    async function seed(): Promise<{ generic: Alert; all: Alert[] }> {
      const user = await store.createUser({ login: "triager" });
      const all: Alert[] = [];
      for (let i = 0; i < 8; i++) {
        const repo = i % 2 === 0 ? repoA : repoB;
        const slack = i % 4 === 3;
        const result = await store.recordDetections(
          repo.id,
          [
            detection(slack ? `xoxb-${random.digits(11)}-${random.digits(12)}-${random.alnum(24)}` : token(), {
              ...(slack
                ? { secretType: "slack_api_token", secretTypeDisplayName: "Slack API Token", provider: "Slack" }
                : {}),
            }),
          ],
          i === 5 ? { bypass: { reason: "will_fix_later", userId: user.id, at: "2026-01-01T00:00:00.000Z" } } : {},
        );
        all.push(result.created[0]!);
      }
      const generic = (
        await store.recordDetections(repoA.id, [
          detection(`password=${random.alnum(20)}`, {
            secretType: "generic_secret",
            secretTypeDisplayName: "Generic Secret",
            provider: null,
            secretCategory: "generic",
          }),
        ])
      ).created[0]!;
      await store.updateAlert(all[0]!.repoId, all[0]!.number, { state: "resolved", resolution: "revoked" }, user.id);
      await store.updateAlert(
        all[1]!.repoId,
        all[1]!.number,
        { state: "resolved", resolution: "false_positive", assigneeId: user.id },
        user.id,
      );
      await store.updateAlert(all[2]!.repoId, all[2]!.number, { validity: "active" }, user.id);
      return { generic, all };
    }

    const both = (): number[] => [repoA.id, repoB.id];
    const list = (query: Partial<AlertQuery>) =>
      lister().listAlerts({ repoIds: both(), sort: "created", direction: "desc", perPage: 30, page: 1, ...query });
    const ids = (alerts: Alert[]) => alerts.map((a) => a.id);

    it("filters by state, type, resolution, validity, provider and assignee; generic types only when asked for", async () => {
      const { generic, all } = await seed();
      const defaults = all.map((a) => a.id).reverse();
      expect(ids((await list({})).alerts)).toEqual(defaults);
      expect(ids((await list({ state: "resolved" })).alerts)).toEqual([all[1]!.id, all[0]!.id]);
      expect(ids((await list({ state: "open" })).alerts)).toEqual(
        defaults.filter((id) => id !== all[0]!.id && id !== all[1]!.id),
      );
      expect(ids((await list({ secretTypes: ["slack_api_token"] })).alerts)).toEqual([all[7]!.id, all[3]!.id]);
      expect(ids((await list({ excludeSecretTypes: ["github_personal_access_token"] })).alerts)).toEqual([
        all[7]!.id,
        all[3]!.id,
      ]);
      expect(ids((await list({ secretTypes: ["generic_secret"] })).alerts)).toEqual([generic.id]);
      expect(ids((await list({ secretTypes: ["generic_secret", "slack_api_token"] })).alerts)).toEqual([
        generic.id,
        all[7]!.id,
        all[3]!.id,
      ]);
      expect(ids((await list({ resolutions: ["false_positive", "wont_fix"] })).alerts)).toEqual([all[1]!.id]);
      expect(ids((await list({ validities: ["active"] })).alerts)).toEqual([all[2]!.id]);
      expect(ids((await list({ validities: ["unknown"], state: "open" })).alerts)).toHaveLength(5);
      expect(ids((await list({ providers: ["slack"] })).alerts)).toEqual([all[7]!.id, all[3]!.id]);
      expect(ids((await list({ excludeProviders: ["github"] })).alerts)).toEqual([all[7]!.id, all[3]!.id]);
      expect(ids((await list({ assignee: "any" })).alerts)).toEqual([all[1]!.id]);
      expect(
        ids((await list({ assignee: all[1]!.assigneeId ?? (await store.getUserByLogin("triager"))!.id })).alerts),
      ).toEqual([all[1]!.id]);
      expect((await list({ assignee: "none" })).alerts).toHaveLength(7);
      expect(ids((await list({ isBypassed: true })).alerts)).toEqual([all[5]!.id]);
      expect((await list({ isPubliclyLeaked: true })).alerts).toEqual([]);
      expect(ids((await list({ repoIds: [repoB.id] })).alerts)).toEqual([
        all[7]!.id,
        all[5]!.id,
        all[3]!.id,
        all[1]!.id,
      ]);
      expect(await list({ repoIds: [] })).toMatchObject({ alerts: [], hasNext: false });
    });

    it("sorts by creation or update time, either way, with the id breaking ties", async () => {
      const { all } = await seed();
      expect(ids((await list({ direction: "asc" })).alerts)).toEqual(ids(all));
      const updated = await list({ sort: "updated", direction: "desc" });
      expect(ids(updated.alerts).slice(0, 3)).toEqual([all[2]!.id, all[1]!.id, all[0]!.id]);
      expect(ids((await list({ sort: "updated", direction: "asc" })).alerts).slice(-3)).toEqual([
        all[0]!.id,
        all[1]!.id,
        all[2]!.id,
      ]);

      // Equal timestamps: the id decides, in the requested direction, for offsets and cursors alike.
      const still = new Date("2026-06-01T00:00:00.000Z");
      const tie = await openTestStore(dialect, { now: () => still });
      try {
        const r1 = await tie.store.createRepository({ owner: "o", name: "r1", sourceUrl: null, mirrorPath: "m" });
        const r2 = await tie.store.createRepository({ owner: "o", name: "r2", sourceUrl: null, mirrorPath: "m" });
        await tie.store.recordDetections(r1.id, [detection(token()), detection(token())]);
        await tie.store.recordDetections(r2.id, [detection(token())]);
        const order = ids(
          (
            await listerOf(tie).listAlerts({
              repoIds: [r1.id, r2.id],
              sort: "created",
              direction: "asc",
              perPage: 10,
              page: 1,
            })
          ).alerts,
        );
        expect(order).toEqual([...order].sort((x, y) => x - y));
        const query = { repoIds: [r1.id, r2.id], sort: "created", perPage: 2 } as const;
        const asc = await listerOf(tie).listAlerts({ ...query, direction: "asc" });
        expect(ids(asc.alerts)).toEqual(order.slice(0, 2));
        const next = await listerOf(tie).listAlerts({ ...query, direction: "asc", after: asc.endCursor! });
        expect(ids(next.alerts)).toEqual(order.slice(2));
        const desc = await listerOf(tie).listAlerts({ ...query, direction: "desc", page: 1 });
        expect(ids(desc.alerts)).toEqual([order[2], order[1]]);
        expect(ids((await listerOf(tie).listAlerts({ ...query, direction: "desc", page: 2 })).alerts)).toEqual([
          order[0],
        ]);
      } finally {
        await tie.dispose();
      }
    });

    it("pages by offset with hasNext and the last page", async () => {
      const { all } = await seed();
      const newestFirst = ids(all).reverse();
      const p1 = await list({ perPage: 3, page: 1 });
      expect(p1).toMatchObject({ hasNext: true, hasPrevious: false, lastPage: 3 });
      expect(ids(p1.alerts)).toEqual(newestFirst.slice(0, 3));
      const p3 = await list({ perPage: 3, page: 3 });
      expect(p3).toMatchObject({ hasNext: false, hasPrevious: true, lastPage: 3 });
      expect(ids(p3.alerts)).toEqual(newestFirst.slice(6, 8));
      const beyond = await list({ perPage: 3, page: 9 });
      expect(beyond).toMatchObject({ alerts: [], hasNext: false, lastPage: 3 });
      expect(await list({ state: "open", secretTypes: ["nothing_like_this"] })).toMatchObject({
        alerts: [],
        lastPage: 1,
        hasNext: false,
      });
    });

    it("pages by cursor forwards and backwards, for both sorts and directions", async () => {
      const { all } = await seed();
      for (const sort of ["created", "updated"] as const) {
        for (const direction of ["asc", "desc"] as const) {
          const full = ids((await list({ sort, direction, perPage: 100 })).alerts);
          expect(full).toHaveLength(all.length);
          const forward: number[] = [];
          let page = await lister().listAlerts({ repoIds: both(), sort, direction, perPage: 3 });
          expect(page.hasPrevious).toBe(false);
          expect(page.startCursor).toBeUndefined();
          const pages = [page];
          forward.push(...ids(page.alerts));
          while (page.hasNext) {
            page = await lister().listAlerts({ repoIds: both(), sort, direction, perPage: 3, after: page.endCursor! });
            expect(page.hasPrevious).toBe(true);
            pages.push(page);
            forward.push(...ids(page.alerts));
          }
          expect(forward).toEqual(full);
          expect(pages.map((p) => p.alerts.length)).toEqual([3, 3, 2]);
          expect(page.endCursor).toBeUndefined();

          // Back from the last page with its start cursor.
          const backward: number[][] = [ids(page.alerts)];
          while (page.hasPrevious) {
            page = await lister().listAlerts({
              repoIds: both(),
              sort,
              direction,
              perPage: 3,
              before: page.startCursor!,
            });
            expect(page.hasNext).toBe(true);
            backward.unshift(ids(page.alerts));
          }
          expect(backward.flat()).toEqual(full);
          expect(backward.map((p) => p.length)).toEqual([3, 3, 2]);
        }
      }
      await expect(list({ page: undefined, after: "not-a-cursor" })).rejects.toBeInstanceOf(StoreInputError);
      await expect(
        list({ page: undefined, before: Buffer.from("2026|x").toString("base64url") }),
      ).rejects.toBeInstanceOf(StoreInputError);
    });
  });

  describe("tokens", () => {
    it("creates a vgl_ token stored only as a hash, authenticates it, and refuses it once revoked", async () => {
      const user = await store.createUser({ login: "ci", siteAdmin: true });
      const { token: plain, record } = await store.createToken({
        userId: user.id,
        scopes: ["repo", "security_events"],
        note: "ci",
      });
      expect(plain).toMatch(/^vgl_[A-Za-z0-9]{36}$/);
      // Vigil's own scanner recognises it (checksum included): a leaked token is found.
      expect(hasValidGithubChecksum(plain)).toBe(true);
      expect(
        createMatcher(builtinPatterns)
          .matcher.scan(Buffer.from(`token: ${plain}`))
          .map((f) => f.secretType),
      ).toEqual(["vigil_api_token"]);
      expect(record).toMatchObject({
        userId: user.id,
        scopes: ["repo", "security_events"],
        note: "ci",
        prefix: plain.slice(0, 8),
        expiresAt: null,
        lastUsedAt: null,
        revokedAt: null,
      });
      const stored = await opened.db.selectFrom("tokens").selectAll().execute();
      expect(JSON.stringify(stored)).not.toContain(plain);

      const auth = await store.authenticateToken(plain);
      expect(auth?.user).toEqual(user);
      expect(auth?.token.id).toBe(record.id);
      expect(auth?.token.lastUsedAt).not.toBeNull();
      expect(await store.authenticateToken(plain.slice(0, -1) + (plain.endsWith("a") ? "b" : "a"))).toBeNull();
      expect(await store.authenticateToken(random.githubToken("vgl"))).toBeNull();
      expect(await store.authenticateToken("")).toBeNull();

      await store.revokeToken(record.id);
      expect(await store.authenticateToken(plain)).toBeNull();
      await expect(store.revokeToken(424_242)).rejects.toBeInstanceOf(StoreNotFoundError);
    });

    it("refuses an expired token", async () => {
      const user = await store.createUser({ login: "temp" });
      const expiresAt = new Date(clock.now().getTime() + 60_000).toISOString();
      const { token: plain, record } = await store.createToken({ userId: user.id, scopes: ["repo"], expiresAt });
      expect(record.expiresAt).toBe(expiresAt);
      expect((await store.authenticateToken(plain))?.user.login).toBe("temp");
      clock.advance(61_000);
      expect(await store.authenticateToken(plain)).toBeNull();
    });
  });

  describe("scans", () => {
    it("records scan history, newest first", async () => {
      const s1 = await store.createScan({ repoId: repoA.id, kind: "backfill", type: "git" });
      expect(s1).toMatchObject({
        status: "pending",
        startedAt: null,
        completedAt: null,
        error: null,
        kind: "backfill",
        type: "git",
      });
      const started = await store.updateScan(s1.id, { status: "running", startedAt: "2026-01-01T00:00:00.000Z" });
      expect(started).toMatchObject({ status: "running", startedAt: "2026-01-01T00:00:00.000Z" });
      await store.updateScan(s1.id, { status: "completed", completedAt: "2026-01-01T00:01:00.000Z" });
      const s2 = await store.createScan({ repoId: repoA.id, kind: "incremental", type: "git" });
      await store.updateScan(s2.id, { status: "failed", error: "git fetch failed" });
      await store.createScan({ repoId: repoB.id, kind: "backfill", type: "git" });
      const history = await store.listScans(repoA.id);
      expect(history.map((s) => [s.kind, s.status])).toEqual([
        ["incremental", "failed"],
        ["backfill", "completed"],
      ]);
      expect(await store.listScans(repoA.id, 1)).toHaveLength(1);
      await expect(store.updateScan(9999, { status: "running" })).rejects.toBeInstanceOf(StoreNotFoundError);
    });
  });

  describe("encryption at rest", () => {
    it("stores secrets encrypted and hashed with a key, never in plain text", async () => {
      const secret = token();
      await store.recordDetections(repoA.id, [detection(secret)]);
      const row = await opened.db
        .selectFrom("alerts")
        .select(["secret_ciphertext", "secret_hash"])
        .executeTakeFirstOrThrow();
      expect(row.secret_ciphertext.startsWith("v1:")).toBe(true);
      expect(row.secret_ciphertext).not.toContain(secret);
      expect(row.secret_hash).toMatch(/^[0-9a-f]{64}$/);
      expect((await store.getAlert(repoA.id, 1))?.secret).toBe(secret);

      if (dialect.name === "sqlite") {
        // A backup of the database files alone reveals nothing: grep the bytes of the file and its WAL.
        const files = ["vigil.db", "vigil.db-wal"].map((f) => join(opened.dataDir, f)).filter((f) => existsSync(f));
        expect(files.length).toBeGreaterThan(0);
        const needle = Buffer.from(secret);
        for (const file of files) expect(readFileSync(file).includes(needle), file).toBe(false);
        // The scan's other data is there in plain text: the grep itself works.
        expect(files.some((file) => readFileSync(file).includes(Buffer.from("github_personal_access_token")))).toBe(
          true,
        );
      } else {
        const dump = await opened.db.selectFrom("alerts").selectAll().execute();
        expect(JSON.stringify(dump)).not.toContain(secret);
      }
    });
  });
});
