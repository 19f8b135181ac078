import { createHmac } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { issueCommentPayload, synthesisePypiToken } from "../test-support/pypi-token.js";
import { startReferenceRevoker, type ReferenceRevoker } from "../test-support/reference-revoker.js";
import { runCli } from "../test-support/run-cli.js";
import { startVigilServer, type RunningServer } from "../test-support/vigil-server.js";

const POSTGRES_URL = process.env.VIGIL_TEST_POSTGRES_URL;
const SECRET = "a-forge-secret-of-some-length";

describe.each([
  { dialect: "sqlite", url: undefined as string | undefined },
  { dialect: "postgres", url: POSTGRES_URL },
])("vigil serve: forge webhooks to a revoked token ($dialect)", ({ dialect, url }) => {
  const skip = dialect === "postgres" && !url;
  let server: RunningServer;
  let revoker: ReferenceRevoker;
  let apiToken: string;

  beforeAll(async () => {
    if (skip) return;
    server = await startVigilServer({
      ...(url ? { postgresUrl: url } : {}),
      extraArgs: ["--forge-webhook-secret", SECRET],
    });
    revoker = await startReferenceRevoker({ publicKeysUrl: `${server.url}/meta/public_keys/secret_scanning` });
    expect(server.cli(["repo", "add", "acme/site", "--public"]).status).toBe(0);
    const partner = server.cli(["partner", "add", "pypi", revoker.reportUrl, "--types", "pypi_api_token"]);
    expect(partner.status, partner.stderr).toBe(0);
    apiToken = server.cli(["token", "create", "--user", "admin"]).stdout.trim();
  }, 60_000);
  afterAll(async () => {
    await revoker?.close();
    await server?.stop();
  });

  it.skipIf(skip)(
    "a token in an issue comment is an alert when the forge gets its answer, and the real server's reporter has it revoked",
    async () => {
      const token = synthesisePypiToken();
      revoker.tokens.set(token, { owner: "dev@example.com", revoked: false });
      const body = JSON.stringify(issueCommentPayload("acme/site", "created", 1, `pip config set ${token}`));
      const res = await fetch(`${server.url}/webhooks/forge`, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          "x-github-event": "issue_comment",
          "x-hub-signature-256": `sha256=${createHmac("sha256", SECRET).update(body).digest("hex")}`,
        },
        body,
      });
      expect(res.status).toBe(200);
      // Recorded before the answer: the alert is there now.
      const alert = (await (
        await fetch(`${server.url}/api/v3/repos/acme/site/secret-scanning/alerts/1`, {
          headers: { authorization: `token ${apiToken}` },
        })
      ).json()) as Record<string, unknown>;
      expect(alert).toMatchObject({
        secret_type: "pypi_api_token",
        publicly_leaked: true,
        first_location_detected: { issue_comment_url: expect.stringContaining("/issues/comments/1") },
      });

      // The server's reporter (every second) reports it; the revoker revokes it; the alert ends revoked.
      await expect.poll(() => revoker.tokens.get(token)!.revoked, { timeout: 15_000, interval: 200 }).toBe(true);
      await expect
        .poll(
          async () =>
            (
              (await (
                await fetch(`${server.url}/api/v3/repos/acme/site/secret-scanning/alerts/1`, {
                  headers: { authorization: `token ${apiToken}` },
                })
              ).json()) as { resolution: string | null }
            ).resolution,
          { timeout: 15_000, interval: 200 },
        )
        .toBe("revoked");
      const keys = (await (await fetch(`${server.url}/api/v3/meta/public_keys/secret_scanning`)).json()) as {
        public_keys: unknown[];
      };
      expect(keys.public_keys).toHaveLength(1);
    },
  );

  it.skipIf(skip)("a forged delivery is 401 and a short secret stops the server from starting", async () => {
    const res = await fetch(`${server.url}/webhooks/forge`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "x-github-event": "issues",
        "x-hub-signature-256": `sha256=${"0".repeat(64)}`,
      },
      body: "{}",
    });
    expect(res.status).toBe(401);
    const short = runCli(["serve", "--port", "0", "--data-dir", server.dataDir], {
      env: { VIGIL_FORGE_WEBHOOK_SECRET: "short" },
    });
    expect(short.status).toBe(2);
    expect(short.stderr).toContain("at least 16 characters");
  });
});
