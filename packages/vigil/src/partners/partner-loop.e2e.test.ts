import { createHmac, verify } from "node:crypto";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Repository } from "../alerts/types.js";
import { createServer, type VigilServer } from "../server/create-server.js";
import { openTestStore, testDialects, type TestStore } from "../store/test-databases.js";
import { forgeRepository, issueCommentPayload, synthesisePypiToken } from "../test-support/pypi-token.js";
import { startReferenceRevoker, type ReferenceRevoker } from "../test-support/reference-revoker.js";

const WEBHOOK_SECRET = "forge-secret-for-the-partner-loop";

function metric(text: string, name: string): number {
  const line = text.split("\n").find((l) => l.startsWith(`${name} `));
  return Number(line?.split(" ")[1]);
}

for (const dialect of testDialects()) {
  describe.skipIf(dialect.name === "postgres" && !dialect.url)(`the partner loop end to end (${dialect.name})`, () => {
    let ts: TestStore;
    let server: VigilServer;
    let vigilUrl: string;
    let revoker: ReferenceRevoker;
    let site: Repository;
    let fork: Repository;

    beforeAll(async () => {
      ts = await openTestStore(dialect, { env: { VIGIL_SECRET_KEY: Buffer.alloc(32, 5).toString("base64") } });
      site = await ts.store.createRepository({
        owner: "acme",
        name: "site",
        sourceUrl: null,
        mirrorPath: `${ts.dataDir}/site.git`,
        isPublic: true,
      });
      fork = await ts.store.createRepository({
        owner: "octo",
        name: "site-fork",
        sourceUrl: null,
        mirrorPath: `${ts.dataDir}/fork.git`,
        isPublic: true,
      });
      server = createServer({
        store: ts.store,
        pushProtection: ts.pushProtection,
        partners: ts.partners,
        storeEnv: {},
        dataDir: ts.dataDir,
        scanHistory: () => Promise.resolve({ findings: [], warnings: [] }),
        log: pino({ level: "silent" }),
        forgeWebhookSecret: WEBHOOK_SECRET,
        // The test drives the queue itself (runOnce); the timer would race it.
        partnerIntervalMs: 3_600_000,
      });
      vigilUrl = (await server.listen(0)).url;
      revoker = await startReferenceRevoker({
        publicKeysUrl: `${vigilUrl}/meta/public_keys/secret_scanning`,
        failEmails: 1,
      });
      await ts.partners.addPartner({ name: "pypi", url: revoker.reportUrl, secretTypes: ["pypi_api_token"] });
    });
    afterAll(async () => {
      await revoker?.close();
      await server?.close();
      await ts?.dispose();
    });

    const deliver = async (event: string, payload: unknown): Promise<Response> => {
      const body = JSON.stringify(payload);
      return fetch(`${vigilUrl}/webhooks/forge`, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          "x-github-event": event,
          "x-hub-signature-256": `sha256=${createHmac("sha256", WEBHOOK_SECRET).update(body).digest("hex")}`,
        },
        body,
      });
    };

    it("an edited-away PyPI token in an issue comment is reported, verified, revoked, labelled, and the alert ends revoked", async () => {
      const token = synthesisePypiToken();
      revoker.tokens.set(token, { owner: "maintainer@example.com", revoked: false });

      // The comment is posted with the token, then edited to remove it; a fork's issue has it too.
      expect(
        (await deliver("issue_comment", issueCommentPayload("acme/site", "created", 900, `twine upload -p ${token}`)))
          .status,
      ).toBe(200);
      expect(
        (
          await deliver(
            "issue_comment",
            issueCommentPayload("acme/site", "edited", 900, "twine upload -p ***", `twine upload -p ${token}`),
          )
        ).status,
      ).toBe(200);
      const forkIssue = {
        action: "opened",
        issue: {
          title: "copy",
          body: `see ${token}`,
          url: "https://forge.test/api/v3/repos/octo/site-fork/issues/1",
          html_url: "https://forge.test/octo/site-fork/issues/1",
        },
        repository: forgeRepository("octo/site-fork"),
      };
      expect((await deliver("issues", forkIssue)).status).toBe(200);

      const alert = (await ts.store.getAlert(site.id, 1))!;
      expect(alert).toMatchObject({
        secretType: "pypi_api_token",
        publiclyLeaked: true,
        multiRepo: true,
        locationCount: 1,
        state: "open",
      });
      expect(alert.firstLocation).toMatchObject({
        type: "issue_comment",
        details: { issue_comment_url: "https://forge.test/api/v3/repos/acme/site/issues/comments/900" },
      });

      // One batch of two reports (one per repository), signed; the revoker verifies against Vigil's served keys.
      expect(await server.partnerReporter!.runOnce()).toBe(2);
      expect(revoker.requests).toHaveLength(1);
      const sent = JSON.parse(revoker.requests[0]!.body.toString("utf8")) as {
        token: string;
        type: string;
        url: string;
        source: string;
      }[];
      expect(sent).toEqual(
        expect.arrayContaining([
          {
            token,
            type: "pypi_api_token",
            url: "https://forge.test/acme/site/issues/7#issuecomment-900",
            source: "issue_comment",
          },
          {
            token,
            type: "pypi_api_token",
            url: "https://forge.test/octo/site-fork/issues/1",
            source: "issue_description",
          },
        ]),
      );

      // An independent check of the signature with node's crypto.verify against the key Vigil serves.
      const keys = (await (await fetch(`${vigilUrl}/api/v3/meta/public_keys/secret_scanning`)).json()) as {
        public_keys: { key_identifier: string; key: string; is_current: boolean }[];
      };
      const headers = revoker.requests[0]!.headers;
      const served = keys.public_keys.find((k) => k.key_identifier === headers["github-public-key-identifier"]);
      expect(served?.is_current).toBe(true);
      expect(
        verify(
          "sha256",
          revoker.requests[0]!.body,
          served!.key,
          Buffer.from(String(headers["github-public-key-signature"]), "base64"),
        ),
      ).toBe(true);
      expect(
        verify(
          "sha256",
          Buffer.from(revoker.requests[0]!.body.toString().replace("issue_comment", "issue_commenT")),
          served!.key,
          Buffer.from(String(headers["github-public-key-signature"]), "base64"),
        ),
      ).toBe(false);

      // The issuer revoked the token once; its first email bounced and was retried.
      expect(revoker.tokens.get(token)!.revoked).toBe(true);
      await revoker.receiver.idle();
      expect(revoker.emails).toEqual([
        { to: "maintainer@example.com", urls: expect.arrayContaining(["https://forge.test/octo/site-fork/issues/1"]) },
      ]);
      const metrics = await (await fetch(`${revoker.url}/metrics`)).text();
      const [received, valid, processed] = [
        "partner_reports_received_total",
        "partner_tokens_valid_total",
        "partner_tokens_processed_total",
      ].map((n) => metric(metrics, n));
      expect({ received, valid, processed }).toEqual({ received: 2, valid: 1, processed: 1 });

      // Both alerts show the label, are active per the issuer, and are resolved revoked.
      for (const [repo, number] of [
        [site, 1],
        [fork, 1],
      ] as const) {
        const after = (await ts.store.getAlert(repo.id, number))!;
        expect(after).toMatchObject({
          partnerLabel: "true_positive",
          validity: "active",
          state: "resolved",
          resolution: "revoked",
          resolutionComment: "Revoked by pypi",
        });
        expect((await ts.store.listEvents(after.id)).map((e) => e.action)).toEqual([
          "created",
          "partner_reported",
          "partner_labeled",
          "validated",
          "resolved",
        ]);
      }
      const adminUser = await ts.store.createUser({ login: "root", siteAdmin: true });
      const { token: apiToken } = await ts.store.createToken({ userId: adminUser.id, scopes: ["repo", "site_admin"] });
      const json = (await (
        await fetch(`${vigilUrl}/api/v3/repos/acme/site/secret-scanning/alerts/1`, {
          headers: { authorization: `token ${apiToken}` },
        })
      ).json()) as Record<string, unknown>;
      expect(json).toMatchObject({
        state: "resolved",
        resolution: "revoked",
        validity: "active",
        publicly_leaked: true,
        multi_repo: true,
        metadata: [{ key: "partner_label", value: "true_positive" }],
      });
      // Nothing is reported twice.
      expect(await server.partnerReporter!.runOnce()).toBe(0);
    });

    it("retries a report the partner could not take, durably, until it is delivered", async () => {
      const token = synthesisePypiToken();
      revoker.tokens.set(token, { owner: "other@example.com", revoked: false });
      revoker.failNext(1, 503);
      await deliver("issue_comment", issueCommentPayload("acme/site", "created", 901, `token ${token}`));
      const alert = (
        await ts.store.listAlerts({ repoIds: [site.id], sort: "created", direction: "desc", perPage: 1, page: 1 })
      ).alerts[0]!;
      expect(await server.partnerReporter!.runOnce()).toBe(1);
      const [failed] = await ts.partners.listReports({ alertId: alert.id });
      expect(failed).toMatchObject({ status: "pending", attempts: 1, lastError: "the partner answered 503" });
      expect(revoker.tokens.get(token)!.revoked).toBe(false);
      // Not due yet: nothing is sent.
      expect(await server.partnerReporter!.runOnce()).toBe(0);
      await ts.db
        .updateTable("partner_reports")
        .set({ next_attempt_at: new Date(Date.now() - 1000).toISOString() })
        .where("id", "=", failed!.id)
        .execute();
      expect(await server.partnerReporter!.runOnce()).toBe(1);
      expect((await ts.partners.listReports({ alertId: alert.id }))[0]).toMatchObject({
        status: "reported",
        attempts: 2,
        label: "true_positive",
      });
      expect(revoker.tokens.get(token)!.revoked).toBe(true);
      expect((await ts.store.getAlert(site.id, alert.number))!.resolution).toBe("revoked");
    });

    it("does not report a secret found in a private repository, unless the partner takes any repository", async () => {
      const closed = await ts.store.createRepository({
        owner: "acme",
        name: "internal",
        sourceUrl: null,
        mirrorPath: `${ts.dataDir}/internal.git`,
      });
      const token = synthesisePypiToken();
      await deliver("issue_comment", issueCommentPayload("acme/internal", "created", 902, `token ${token}`));
      const alert = (await ts.store.getAlert(closed.id, 1))!;
      expect(alert.publiclyLeaked).toBe(false);
      expect(await ts.partners.listReports({ alertId: alert.id })).toEqual([]);
    });

    it("Vigil's own token found in an issue is revoked through the receiver, its owner notified, the alert resolved revoked", async () => {
      const closed = (await ts.store.getRepository("acme", "internal"))!;
      const owner = await ts.store.createUser({ login: "leaky", email: "leaky@example.com" });
      const { token } = await ts.store.createToken({ userId: owner.id, scopes: ["repo"] });
      expect(await ts.store.authenticateToken(token)).not.toBeNull();
      // The vigil partner is registered when the server starts its background work.
      await expect.poll(() => ts.partners.getPartner("vigil")).not.toBeNull();
      await deliver(
        "issue_comment",
        issueCommentPayload("acme/internal", "created", 903, `export VIGIL_TOKEN=${token}`),
      );
      const alert = (
        await ts.store.listAlerts({
          repoIds: [closed.id],
          secretTypes: ["vigil_api_token"],
          sort: "created",
          direction: "desc",
          perPage: 1,
          page: 1,
        })
      ).alerts[0]!;
      expect(alert.secretType).toBe("vigil_api_token");
      expect(await server.partnerReporter!.runOnce()).toBe(1);
      expect(await ts.store.authenticateToken(token)).toBeNull();
      const after = (await ts.store.getAlert(closed.id, alert.number))!;
      expect(after).toMatchObject({
        state: "resolved",
        resolution: "revoked",
        partnerLabel: "true_positive",
        validity: "active",
      });
      const events = await ts.store.listEvents(after.id);
      expect(events.find((e) => e.action === "owner_notified")?.payload).toMatchObject({
        owner: "leaky",
        email: "leaky@example.com",
      });
    });
  });
}
