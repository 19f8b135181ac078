import { ExampleRandom } from "vigil-secrets-engine";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApiFixture, detection, type ApiFixture } from "../test-support/api-fixture.js";
import { startFakeIssuers, type FakeIssuers } from "../test-support/fake-issuers.js";
import { createAutoRemediator } from "./auto-remediator.js";
import { createRevokers } from "./revokers.js";

let fx: ApiFixture;
let issuers: FakeIssuers;
const random = new ExampleRandom(0xa7);

beforeAll(async () => {
  fx = await createApiFixture({ alerts: 2 });
  issuers = await startFakeIssuers();
});
afterAll(async () => {
  await issuers.close();
  await fx.close();
});

describe("auto-remediation in the background", () => {
  it("revokes open alerts of enabled types only, and waits before retrying a failure", async () => {
    let clock = 1_000_000;
    const npm = `npm_${random.alnum(36)}`;
    const slack = `xoxb-${random.digits(12)}-${random.digits(12)}-${random.alnum(24)}`;
    issuers.live.npm.add(npm);
    issuers.live.slack.add(slack);
    await fx.store.recordDetections(fx.otherRepo.id, [detection("npm_access_token", "npm Access Token", "npm", npm, "a/.npmrc", 700)]);
    await fx.store.recordDetections(fx.otherRepo.id, [detection("slack_api_token", "Slack API Token", "Slack", slack, "a/slack.env", 701)]);
    const orgId = fx.repo.orgId;
    await fx.campaigns.setAutoRemediation(orgId, "npm_access_token", true, fx.users.admin.id);
    let down = true;
    let calls = 0;
    const flaky: typeof fetch = (input, init) => {
      calls++;
      return down ? Promise.reject(new Error("connect ECONNREFUSED")) : fetch(input, init);
    };
    const r = createAutoRemediator({ store: fx.store, campaigns: fx.campaigns, revokers: createRevokers({ urls: issuers.urls, fetch: flaky }), now: () => clock, retryAfterMs: 60_000 });
    // The registry is down: one failed attempt, then none before the wait is over.
    expect(await r.sweep()).toBe(0);
    expect(calls).toBe(1);
    clock += 30_000;
    expect(await r.sweep()).toBe(0);
    expect(calls).toBe(1);
    down = false;
    clock += 31_000;
    expect(await r.sweep()).toBe(1);
    expect(calls).toBe(2);
    expect(issuers.live.npm.has(npm)).toBe(false);
    const events = await fx.store.listEvents((await fx.store.getAlert(fx.otherRepo.id, 1))!.id);
    expect(events.filter((e) => e.action === ("auto_remediation" as never)).map((e) => e.payload.revoked)).toEqual([false, true]);
    // Slack was never enabled, GitHub's PATs neither: untouched.
    expect(issuers.live.slack.has(slack)).toBe(true);
    expect((await fx.store.getAlert(fx.repo.id, 1))!.state).toBe("open");
    expect(await r.sweep()).toBe(0);
    expect(calls).toBe(2);
  });
});
