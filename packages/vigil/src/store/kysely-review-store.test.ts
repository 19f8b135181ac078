import { ExampleRandom } from "vigil-secrets-engine";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { AlertStore } from "../alerts/alert-store.js";
import { REVIEW_REQUEST_TTL_MS, type ReviewStore } from "../alerts/review-store.js";
import type { Repository, User } from "../alerts/types.js";
import type { PushProtectionStore } from "../push-protection/push-protection-store.js";
import { detection } from "../test-support/api-fixture.js";
import { openTestStore, testDialects, type TestStore } from "./test-databases.js";

const random = new ExampleRandom(0x1e14);

describe.each(testDialects())("delegated review store on $name", (dialect) => {
  if (dialect.name === "postgres" && !dialect.url) {
    it.skip("PostgreSQL suite skipped: set VIGIL_TEST_POSTGRES_URL to run it", () => {});
    return;
  }

  let opened: TestStore;
  let store: AlertStore;
  let reviews: ReviewStore;
  let pushProtection: PushProtectionStore;
  let repo: Repository;
  let pusher: User;
  let reviewer: User;
  let t = Date.parse("2026-06-01T00:00:00.000Z");

  beforeEach(async () => {
    t = Date.parse("2026-06-01T00:00:00.000Z");
    opened = await openTestStore(dialect, { now: () => new Date(t) });
    ({ store, reviews, pushProtection } = opened);
    repo = await store.createRepository({
      owner: "acme",
      name: "api",
      sourceUrl: null,
      mirrorPath: "/nonexistent/api.git",
    });
    pusher = await store.createUser({ login: "pat" });
    reviewer = await store.createUser({ login: "rev" });
  });
  afterEach(async () => opened.dispose());

  const placeholder = async (): Promise<string> =>
    (
      await pushProtection.createPlaceholder({
        repoId: repo.id,
        pusherId: pusher.id,
        secretType: "github_personal_access_token",
        secretTypeDisplayName: "GitHub Personal Access Token",
        secret: random.githubToken("ghp"),
        commitSha: "a".repeat(40),
        path: "config/app.env",
        line: 3,
        ref: "refs/heads/main",
      })
    ).placeholderId;

  it("keeps an organization's review settings, off until set, each switch apart", async () => {
    expect(await reviews.getOrgReviewSettings(repo.orgId)).toEqual({ bypassReview: false, dismissalReview: false });
    expect(await reviews.setOrgReviewSettings(repo.orgId, { bypassReview: true })).toEqual({
      bypassReview: true,
      dismissalReview: false,
    });
    await reviews.setOrgReviewSettings(repo.orgId, { dismissalReview: true });
    expect(await reviews.getOrgReviewSettings(repo.orgId)).toEqual({ bypassReview: true, dismissalReview: true });
    await reviews.setOrgReviewSettings(repo.orgId, { bypassReview: false });
    expect(await reviews.getOrgReviewSettings(repo.orgId)).toEqual({ bypassReview: false, dismissalReview: true });
  });

  it("numbers bypass requests per repository, returns the pending one again for the same placeholder, and records one decision", async () => {
    const p1 = await placeholder();
    const first = await reviews.createRequest({
      kind: "bypass",
      repoId: repo.id,
      requesterId: pusher.id,
      placeholderId: p1,
      secretType: "github_personal_access_token",
      reason: "used_in_tests",
      comment: "fixture",
    });
    expect(first.created).toBe(true);
    expect(first.request).toMatchObject({
      number: 1,
      status: "pending",
      comment: "fixture",
      placeholder: { path: "/config/app.env:3:0", branch: "refs/heads/main", commit: "a".repeat(40) },
    });
    expect(Date.parse(first.request.expiresAt) - t).toBe(REVIEW_REQUEST_TTL_MS);
    const again = await reviews.createRequest({
      kind: "bypass",
      repoId: repo.id,
      requesterId: pusher.id,
      placeholderId: p1,
      secretType: "github_personal_access_token",
      reason: "used_in_tests",
      comment: null,
    });
    expect(again).toMatchObject({ created: false, request: { id: first.request.id } });
    const second = await reviews.createRequest({
      kind: "bypass",
      repoId: repo.id,
      requesterId: pusher.id,
      placeholderId: await placeholder(),
      secretType: "github_personal_access_token",
      reason: "false_positive",
      comment: null,
    });
    expect(second.request.number).toBe(2);

    const decided = await reviews.respond(first.request.id, reviewer.id, "denied", "rotate it");
    expect(decided?.request.status).toBe("denied");
    expect(decided?.request.responses).toEqual([
      expect.objectContaining({ reviewerId: reviewer.id, status: "denied", message: "rotate it" }),
    ]);
    // A decided request takes no second decision.
    expect(await reviews.respond(first.request.id, reviewer.id, "approved", "changed my mind")).toBeNull();

    // Dismissing the denial puts the request back in the queue.
    const back = await reviews.dismissResponse(decided!.response.id);
    expect(back.status).toBe("pending");
    expect(back.responses[0]?.status).toBe("dismissed");
  });

  it("expires a pending request after 7 days and completes an approved bypass once its secret was pushed", async () => {
    const p1 = await placeholder();
    const a = (
      await reviews.createRequest({
        kind: "bypass",
        repoId: repo.id,
        requesterId: pusher.id,
        placeholderId: p1,
        secretType: "github_personal_access_token",
        reason: "used_in_tests",
        comment: null,
      })
    ).request;
    const b = (
      await reviews.createRequest({
        kind: "bypass",
        repoId: repo.id,
        requesterId: pusher.id,
        placeholderId: await placeholder(),
        secretType: "github_personal_access_token",
        reason: "used_in_tests",
        comment: null,
      })
    ).request;
    await reviews.respond(a.id, reviewer.id, "approved", "ok");
    await pushProtection.markPlaceholderUsed(p1);
    expect((await reviews.getRequest("bypass", repo.id, a.number))?.status).toBe("completed");
    t += REVIEW_REQUEST_TTL_MS;
    expect((await reviews.getRequest("bypass", repo.id, b.number))?.status).toBe("expired");
    expect(await reviews.respond(b.id, reviewer.id, "approved", "too late")).toBeNull();
  });

  it("lists with filters (requester, reviewer, since, statuses) and pages, newest first", async () => {
    const other = await store.createUser({ login: "other" });
    const ids: number[] = [];
    for (let i = 0; i < 5; i++) {
      t += 1000;
      const r = await reviews.createRequest({
        kind: "bypass",
        repoId: repo.id,
        requesterId: i === 4 ? other.id : pusher.id,
        placeholderId: await placeholder(),
        secretType: "github_personal_access_token",
        reason: "used_in_tests",
        comment: null,
      });
      ids.push(r.request.id);
    }
    await reviews.respond(ids[0]!, reviewer.id, "approved", "ok");
    const base = { kind: "bypass" as const, repoIds: [repo.id], page: 1, perPage: 2 };
    const page1 = await reviews.listRequests(base);
    expect(page1.total).toBe(5);
    expect(page1.requests.map((r) => r.id)).toEqual([ids[4], ids[3]]);
    expect((await reviews.listRequests({ ...base, page: 3 })).requests.map((r) => r.id)).toEqual([ids[0]]);
    expect(
      (await reviews.listRequests({ ...base, perPage: 10, requesterId: other.id })).requests.map((r) => r.id),
    ).toEqual([ids[4]]);
    expect(
      (await reviews.listRequests({ ...base, perPage: 10, reviewerId: reviewer.id })).requests.map((r) => r.id),
    ).toEqual([ids[0]]);
    expect((await reviews.listRequests({ ...base, perPage: 10, statuses: ["approved"] })).total).toBe(1);
    expect((await reviews.listRequests({ ...base, perPage: 10, statuses: [] })).total).toBe(0);
    expect(
      (await reviews.listRequests({ ...base, perPage: 10, since: new Date(t).toISOString() })).requests.map(
        (r) => r.id,
      ),
    ).toEqual([ids[4]]);
    expect((await reviews.listRequests({ ...base, kind: "dismissal" })).total).toBe(0);
  });

  it("keeps dismissal requests by alert number and writes timeline events that webhooks do not deliver", async () => {
    const secret = random.githubToken("ghp");
    const { created } = await store.recordDetections(repo.id, [
      detection("github_personal_access_token", "GitHub Personal Access Token", "GitHub", secret, "a.env", 1),
    ]);
    const alert = created[0]!;
    const { request } = await reviews.createRequest({
      kind: "dismissal",
      repoId: repo.id,
      requesterId: pusher.id,
      alertNumber: alert.number,
      secretType: alert.secretType,
      reason: "false_positive",
      comment: "not real",
    });
    expect(request).toMatchObject({
      kind: "dismissal",
      number: alert.number,
      alertNumber: alert.number,
      reason: "false_positive",
    });
    expect((await reviews.getRequest("dismissal", repo.id, alert.number))?.id).toBe(request.id);
    const before = (await store.listUndeliveredEvents(100)).length;
    await reviews.recordAlertEvent(alert, "dismissal_requested", pusher.id, { request_number: request.number });
    expect((await store.listEvents(alert.id)).map((e) => e.action)).toContain("dismissal_requested");
    expect((await store.listUndeliveredEvents(100)).length).toBe(before);
  });

  it("returns an approved bypass request again instead of a second one, and finds requests by placeholder", async () => {
    const p1 = await placeholder();
    const input = {
      kind: "bypass" as const,
      repoId: repo.id,
      requesterId: pusher.id,
      placeholderId: p1,
      secretType: "github_personal_access_token",
      reason: "used_in_tests" as const,
      comment: null,
    };
    const first = (await reviews.createRequest(input)).request;
    await reviews.respond(first.id, reviewer.id, "approved", "ok");
    expect(await reviews.createRequest(input)).toMatchObject({
      created: false,
      request: { id: first.id, status: "approved" },
    });
    await reviews.createRequest({ ...input, placeholderId: await placeholder() });
    const byPlaceholder = await reviews.listRequests({
      kind: "bypass",
      repoIds: [repo.id],
      placeholderId: p1,
      page: 1,
      perPage: 10,
    });
    expect(byPlaceholder.requests.map((r) => r.id)).toEqual([first.id]);
    // A denied request may be asked again.
    const p2 = await placeholder();
    const denied = (await reviews.createRequest({ ...input, placeholderId: p2 })).request;
    await reviews.respond(denied.id, reviewer.id, "denied", "no");
    expect((await reviews.createRequest({ ...input, placeholderId: p2 })).created).toBe(true);
  });

  it("deletes a repository's requests with it", async () => {
    await reviews.createRequest({
      kind: "bypass",
      repoId: repo.id,
      requesterId: pusher.id,
      placeholderId: await placeholder(),
      secretType: "github_personal_access_token",
      reason: "used_in_tests",
      comment: null,
    });
    await store.deleteRepository(repo.id);
    expect((await reviews.listRequests({ kind: "bypass", repoIds: [repo.id], page: 1, perPage: 10 })).total).toBe(0);
  });
});
