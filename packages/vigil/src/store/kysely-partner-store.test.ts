import { ExampleRandom } from "vigil-secrets-engine";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { DetectedSecret, Repository } from "../alerts/types.js";
import { openTestStore, testDialects, type TestStore } from "./test-databases.js";

function content(secret: string, id: number): DetectedSecret {
  return {
    secretType: "github_personal_access_token",
    secretTypeDisplayName: "GitHub Personal Access Token",
    provider: "GitHub",
    secretCategory: "default",
    secret,
    isBase64Encoded: false,
    location: {
      type: "issue_comment",
      details: { issue_comment_url: `https://forge.test/c/${id}`, html_url: `https://forge.test/h/${id}` },
    },
  };
}

for (const dialect of testDialects()) {
  describe.skipIf(dialect.name === "postgres" && !dialect.url)(`the partner report queue (${dialect.name})`, () => {
    let ts: TestStore;
    let clock = Date.parse("2026-12-01T10:00:00Z");
    let open: Repository;
    let closed: Repository;
    const random = new ExampleRandom(77);

    beforeEach(async () => {
      clock = Date.parse("2026-12-01T10:00:00Z");
      ts = await openTestStore(dialect, {
        now: () => new Date(clock),
        env: { VIGIL_SECRET_KEY: Buffer.alloc(32, 8).toString("base64") },
      });
      open = await ts.store.createRepository({
        owner: "acme",
        name: "site",
        sourceUrl: null,
        mirrorPath: "/x/a.git",
        isPublic: true,
      });
      closed = await ts.store.createRepository({
        owner: "acme",
        name: "private",
        sourceUrl: null,
        mirrorPath: "/x/b.git",
      });
    });
    afterEach(async () => ts.dispose());

    it("queues one report per partner and alert, leases it while in flight, and makes it due again when the lease runs out", async () => {
      const github = await ts.partners.addPartner({
        name: "github",
        url: "https://partner.test/report",
        secretTypes: ["github_personal_access_token"],
      });
      await ts.partners.addPartner({
        name: "other",
        url: "https://other.test/report",
        secretTypes: ["pypi_api_token"],
      });
      const secret = random.githubToken("ghp");
      await ts.store.recordDetections(open.id, [content(secret, 1)]);
      await ts.store.recordDetections(open.id, [content(secret, 2)]);
      await ts.store.recordDetections(closed.id, [content(random.githubToken("ghp"), 3)]);

      const due = await ts.partners.claimDueReports(10, 60_000);
      expect(due).toHaveLength(1);
      expect(due[0]).toMatchObject({
        partnerId: github.id,
        token: secret,
        secretType: "github_personal_access_token",
        repoFullName: "acme/site",
        attempts: 1,
        location: { type: "issue_comment" },
      });
      expect(await ts.partners.claimDueReports(10, 60_000)).toEqual([]);
      clock += 61_000;
      const again = await ts.partners.claimDueReports(10, 60_000);
      expect(again.map((r) => [r.id, r.attempts])).toEqual([[due[0]!.id, 2]]);
      await ts.partners.retryReport(again[0]!.id, "the partner answered 500", new Date(clock + 10_000));
      expect(await ts.partners.claimDueReports(10, 60_000)).toEqual([]);
      clock += 10_000;
      const third = await ts.partners.claimDueReports(10, 60_000);
      await ts.partners.completeReport(third[0]!.id, { label: "false_positive", partnerName: "github" });
      expect(await ts.partners.listReports()).toEqual([
        expect.objectContaining({ status: "reported", attempts: 3, label: "false_positive", lastError: null }),
      ]);
      clock += 3_600_000;
      expect(await ts.partners.claimDueReports(10, 60_000)).toEqual([]);
      expect((await ts.store.getAlert(open.id, 1))!.partnerLabel).toBe("false_positive");
    });

    it("a partner for any repository gets private repositories' alerts too; removing it drops its queue", async () => {
      await ts.partners.addPartner({
        name: "all",
        url: "https://all.test/report",
        secretTypes: ["github_personal_access_token"],
        reportAll: true,
      });
      await ts.store.recordDetections(closed.id, [content(random.githubToken("ghp"), 4)]);
      expect(await ts.partners.listReports()).toHaveLength(1);
      expect(await ts.partners.removePartner("all")).toBe(true);
      expect(await ts.partners.removePartner("all")).toBe(false);
      expect(await ts.partners.listReports()).toEqual([]);
    });

    it("a report that failed for good is not due again", async () => {
      await ts.partners.addPartner({
        name: "p",
        url: "https://p.test/report",
        secretTypes: ["github_personal_access_token"],
      });
      await ts.store.recordDetections(open.id, [content(random.githubToken("ghp"), 5)]);
      const [report] = await ts.partners.claimDueReports(10, 60_000);
      await ts.partners.retryReport(report!.id, "gone", null);
      clock += 86_400_000;
      expect(await ts.partners.claimDueReports(10, 60_000)).toEqual([]);
      expect((await ts.partners.listReports())[0]).toMatchObject({ status: "failed", lastError: "gone" });
    });
  });
}
