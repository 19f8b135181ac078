import { ExampleRandom } from "vigil-secrets-engine";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Repository } from "../alerts/types.js";
import { detection } from "../test-support/api-fixture.js";
import { openTestStore, testDialects, type TestStore } from "./test-databases.js";

const random = new ExampleRandom(0x0f15);
const DAY = 24 * 60 * 60 * 1000;

describe.each(testDialects())("security overview figures on $name", (dialect) => {
  if (dialect.name === "postgres" && !dialect.url) {
    it.skip("PostgreSQL suite skipped: set VIGIL_TEST_POSTGRES_URL to run it", () => {});
    return;
  }

  let opened: TestStore;
  let t = Date.parse("2026-06-01T10:00:00.000Z");
  let api: Repository;
  let web: Repository;
  beforeEach(async () => {
    t = Date.parse("2026-06-01T10:00:00.000Z");
    opened = await openTestStore(dialect, { now: () => new Date(t) });
    api = await opened.store.createRepository({
      owner: "acme",
      name: "api",
      sourceUrl: null,
      mirrorPath: "/nonexistent/a.git",
    });
    web = await opened.store.createRepository({
      owner: "acme",
      name: "web",
      sourceUrl: null,
      mirrorPath: "/nonexistent/w.git",
    });
  });
  afterEach(async () => opened.dispose());

  const leak = async (repo: Repository, type: string, name: string, n: number) =>
    (
      await opened.store.recordDetections(repo.id, [
        detection(type, name, "GitHub", random.githubToken("ghp"), `f${n}.env`, n),
      ])
    ).created[0]!;

  it("counts by day, type, repository and validity, and the mean time from detection to closing", async () => {
    const { store, overview } = opened;
    await leak(api, "github_personal_access_token", "GitHub Personal Access Token", 1); // 2026-06-01, before `since`
    t += 10 * DAY; // 2026-06-11
    const a = await leak(api, "github_personal_access_token", "GitHub Personal Access Token", 2);
    const b = await leak(web, "github_oauth_access_token", "GitHub OAuth Access Token", 3);
    t += 2 * DAY; // 2026-06-13: `a` closed after two days
    await store.updateAlert(
      api.id,
      a.number,
      { state: "resolved", resolution: "revoked", resolutionComment: null },
      null,
    );
    t += 4 * DAY; // 2026-06-17: `b` closed after six days
    await store.updateAlert(
      web.id,
      b.number,
      { state: "resolved", resolution: "false_positive", resolutionComment: null },
      null,
    );
    await store.updateAlert(api.id, 1, { validity: "active" }, null);

    const o = await overview.alertOverview({ repoIds: [api.id, web.id], since: "2026-06-08T00:00:00.000Z" });
    expect(o).toMatchObject({ open: 1, closed: 2, createdBefore: 1, resolvedBefore: 0 });
    expect(o.days).toEqual([
      { day: "2026-06-11", created: 2, resolved: 0 },
      { day: "2026-06-13", created: 0, resolved: 1 },
      { day: "2026-06-17", created: 0, resolved: 1 },
    ]);
    expect(o.meanSecondsToRemediate).toBeCloseTo(4 * 86400, -1);
    expect(o.byType).toEqual([
      { secretType: "github_personal_access_token", displayName: "GitHub Personal Access Token", open: 1, total: 2 },
      { secretType: "github_oauth_access_token", displayName: "GitHub OAuth Access Token", open: 0, total: 1 },
    ]);
    expect(o.byRepository).toEqual([
      { repoId: api.id, open: 1, total: 2 },
      { repoId: web.id, open: 0, total: 1 },
    ]);
    expect(o.byValidity).toEqual([{ validity: "active", open: 1 }]);
    // Only the repositories asked for.
    expect(await overview.alertOverview({ repoIds: [web.id], since: "2026-06-08T00:00:00.000Z" })).toMatchObject({
      open: 0,
      closed: 1,
    });
    expect(await overview.alertOverview({ repoIds: [], since: "2026-06-08T00:00:00.000Z" })).toMatchObject({
      open: 0,
      closed: 0,
      days: [],
    });
  });

  it("push metrics count blocked pushes and bypasses per day", async () => {
    const { pushProtection } = opened;
    await pushProtection.recordPushEvent({ repoId: api.id, pusherId: null, outcome: "blocked", secretTypes: ["x"] });
    t += DAY;
    await pushProtection.recordPushEvent({ repoId: api.id, pusherId: null, outcome: "blocked", secretTypes: ["x"] });
    await pushProtection.recordPushEvent({
      repoId: web.id,
      pusherId: null,
      outcome: "bypassed",
      secretTypes: ["x"],
      reason: "used_in_tests",
    });
    await pushProtection.recordPushEvent({ repoId: web.id, pusherId: null, outcome: "allowed", secretTypes: [] });
    const metrics = await pushProtection.pushMetrics({ repoIds: [api.id, web.id] });
    expect(metrics.byDay).toEqual([
      { day: "2026-06-01", blocked: 1, bypassed: 0 },
      { day: "2026-06-02", blocked: 1, bypassed: 1 },
    ]);
  });
});
