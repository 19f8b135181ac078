import { randomBytes } from "node:crypto";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { AlertStore } from "../alerts/alert-store.js";
import type { Repository } from "../alerts/types.js";
import { createJobKinds } from "../jobs/job-kind.js";
import { createJobRunner, type JobRunner } from "../jobs/job-runner.js";
import { createMemoryJobQueue } from "../jobs/memory-job-queue.js";
import { openTestStore, testDialects, type TestStore } from "../store/test-databases.js";
import { detection } from "../test-support/api-fixture.js";
import { ISSUER_FAKES, startIssuerFakes, type RunningFake } from "../test-support/issuer-fakes.js";
import { checkAlertValidity, type AlertValidityDeps } from "./check-alert-validity.js";
import { createValidityChecker } from "./validity-checker.js";
import { createValiditySweeper, validityCheckKind } from "./validity-sweeper.js";
import type { ValidityStore } from "./validity-store.js";

/** `validity-check` jobs on a queue in memory, one attempt each (the job suite covers retries). */
function checkRunner(deps: AlertValidityDeps): JobRunner {
  const kinds = createJobKinds([{ ...validityCheckKind(deps), attempts: 1 }]);
  const runner = createJobRunner(createMemoryJobQueue({ kinds }), kinds);
  runner.work({ concurrency: 2 });
  return runner;
}

const fresh = (label: string): string => `${label}-${randomBytes(12).toString("hex")}`;

describe.each(testDialects())("alert validity on $name", (dialect) => {
  if (dialect.name === "postgres" && !dialect.url) {
    it.skip("PostgreSQL suite skipped: set VIGIL_TEST_POSTGRES_URL to run it", () => {});
    return;
  }

  let opened: TestStore;
  let store: AlertStore;
  let validity: ValidityStore;
  let repo: Repository;
  let fake: RunningFake;
  let deps: AlertValidityDeps;
  let logged: string[];
  let t = Date.parse("2026-06-01T00:00:00.000Z");
  const live = fresh("live");
  const revoked = fresh("revoked");

  beforeEach(async () => {
    t = Date.parse("2026-06-01T00:00:00.000Z");
    opened = await openTestStore(dialect, { now: () => new Date(t) });
    ({ store, validity } = opened);
    repo = await store.createRepository({
      owner: "acme",
      name: "api",
      sourceUrl: null,
      mirrorPath: "/nonexistent/api.git",
    });
    fake = await startIssuerFakes([ISSUER_FAKES.slack_api_token!, ISSUER_FAKES.openai_api_key!], [{ secret: live }]);
    deps = {
      alerts: store,
      validity,
      checker: createValidityChecker({ testOnlyOrigin: fake.origin, backoffMs: 1 }),
      now: () => new Date(t),
      log: { info: (fields, message) => logged.push(JSON.stringify({ ...fields, message })) },
    };
    logged = [];
    await store.recordDetections(repo.id, [
      detection("slack_api_token", "Slack API Token", "Slack", live, "a.env", 1),
      detection("openai_api_key", "OpenAI API Key", "OpenAI", revoked, "b.env", 2),
      // No check exists for this type: never due.
      detection("pypi_api_token", "PyPI API Token", "PyPI", fresh("pypi"), "c.env", 3),
    ]);
  });
  afterEach(async () => {
    await fake.close();
    await opened.dispose();
  });

  const due = () =>
    validity.listDue({
      secretTypes: ["slack_api_token", "openai_api_key"],
      checkedBefore: new Date(t - 3600_000).toISOString(),
      limit: 10,
    });

  it("is off until the organization enables it; then new alerts of checked types are due", async () => {
    expect(await validity.isEnabled(repo.orgId)).toBe(false);
    expect(await due()).toEqual([]);
    await validity.setEnabled(repo.orgId, true);
    expect(await validity.isEnabled(repo.orgId)).toBe(true);
    expect((await due()).map((d) => [d.number, d.neverChecked])).toEqual([
      [1, true],
      [2, true],
    ]);
    await validity.setEnabled(repo.orgId, false);
    expect(await due()).toEqual([]);
  });

  it("records active and inactive, with GitHub's validated event, and the time of the check", async () => {
    await validity.setEnabled(repo.orgId, true);
    const first = await checkAlertValidity(deps, repo.id, 1, "on_creation");
    const second = await checkAlertValidity(deps, repo.id, 2, "on_creation");
    expect(first?.alert.validity).toBe("active");
    expect(second?.alert.validity).toBe("inactive");
    expect(await validity.getCheck(first!.alert.id)).toEqual({
      alertId: first!.alert.id,
      checkedAt: "2026-06-01T00:00:00.000Z",
      result: "active",
      detail: "HTTP 200",
      source: "on_creation",
    });
    const events = await store.listEvents(first!.alert.id);
    expect(events.map((e) => e.action)).toEqual(["created", "validated"]);
    expect(events[1]!.payload.previousValidity).toBe("unknown");
    // The list filter now has data.
    const page = await store.listAlerts({
      repoIds: [repo.id],
      validities: ["inactive"],
      sort: "created",
      direction: "asc",
      perPage: 10,
    });
    expect(page.alerts.map((a) => a.number)).toEqual([2]);
    // Checked: not due again until the recheck interval passes, then due as a periodic check.
    expect(await due()).toEqual([]);
    t += 2 * 3600_000;
    expect((await due()).map((d) => [d.number, d.neverChecked])).toEqual([
      [1, false],
      [2, false],
    ]);
  });

  it("keeps a known validity when the issuer cannot answer, and puts an on-demand check that changed nothing in the timeline", async () => {
    await validity.setEnabled(repo.orgId, true);
    await checkAlertValidity(deps, repo.id, 1, "on_creation");
    await fake.close();
    const down = await checkAlertValidity(
      { ...deps, checker: createValidityChecker({ testOnlyOrigin: fake.origin, backoffMs: 1, maxAttempts: 2 }) },
      repo.id,
      1,
      "on_demand",
      null,
    );
    expect(down?.alert.validity).toBe("active");
    expect(down?.check).toMatchObject({
      result: "unknown",
      detail: "the issuer could not be reached",
      source: "on_demand",
    });
    const events = await store.listEvents(down!.alert.id);
    expect(events.map((e) => e.action)).toEqual(["created", "validated", "validity_checked"]);
    expect(events[2]!.payload).toEqual({
      validity: "unknown",
      detail: "the issuer could not be reached",
      source: "on_demand",
    });
    // Timeline only: never a webhook delivery.
    expect(events[2]!.deliveredAt).not.toBeNull();
    fake = await startIssuerFakes([], []);
  });

  it("tries an unknown answer again after an hour, a known one after a day; logs never hold the secret", async () => {
    await validity.setEnabled(repo.orgId, true);
    const runner = checkRunner(deps);
    const sweeper = createValiditySweeper({ ...deps, runner });
    await fake.close();
    expect(await sweeper.sweepOnce()).toBe(2);
    await runner.idle();
    expect((await store.getAlert(repo.id, 1))?.validity).toBe("unknown");
    fake = await startIssuerFakes([ISSUER_FAKES.slack_api_token!, ISSUER_FAKES.openai_api_key!], [{ secret: live }]);
    const depsNow = { ...deps, checker: createValidityChecker({ testOnlyOrigin: fake.origin }) };
    const runnerNow = checkRunner(depsNow);
    const sweeperNow = createValiditySweeper({ ...depsNow, runner: runnerNow });
    t += 30 * 60_000;
    expect(await sweeperNow.sweepOnce()).toBe(0);
    t += 31 * 60_000;
    expect(await sweeperNow.sweepOnce()).toBe(2);
    await runnerNow.idle();
    expect((await store.getAlert(repo.id, 1))?.validity).toBe("active");
    expect((await validity.getCheck((await store.getAlert(repo.id, 1))!.id))?.source).toBe("periodic");
    t += 2 * 3600_000;
    expect(await sweeperNow.sweepOnce()).toBe(0);
    await runner.close();
    await runnerNow.close();
    expect(logged.length).toBeGreaterThan(0);
    expect(logged.join("\n")).not.toContain(live);
    expect(logged.join("\n")).not.toContain(revoked);
  });

  it("closed alerts are not checked; the sweeper queues one job per due alert and the runner checks them", async () => {
    await validity.setEnabled(repo.orgId, true);
    await store.updateAlert(repo.id, 2, { state: "resolved", resolution: "revoked" }, null);
    const runner = checkRunner(deps);
    const sweeper = createValiditySweeper({ ...deps, runner });
    expect(await sweeper.sweepOnce()).toBe(1);
    await runner.idle();
    expect((await store.getAlert(repo.id, 1))?.validity).toBe("active");
    expect((await store.getAlert(repo.id, 2))?.validity).toBe("unknown");
    expect(await sweeper.sweepOnce()).toBe(0);
    await runner.close();
    // The secret went to its issuer only, once, as the Slack API takes it.
    expect(fake.requests.map((r) => [r.method, r.path, r.headers.authorization])).toEqual([
      ["POST", "/api/auth.test", `Bearer ${live}`],
    ]);
  });
});
