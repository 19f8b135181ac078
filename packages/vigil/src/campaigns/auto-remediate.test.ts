import { ExampleRandom } from "vigil-secrets-engine";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApiFixture, detection, type ApiFixture } from "../test-support/api-fixture.js";
import { startFakeIssuers, type FakeIssuers } from "../test-support/fake-issuers.js";
import { remediateAlert } from "./auto-remediate.js";
import { createRevokers } from "./revokers.js";
import type { CampaignStore } from "./campaign-store.js";

let fx: ApiFixture;
let issuers: FakeIssuers;
let campaigns: CampaignStore;
const random = new ExampleRandom(0xa11);

beforeAll(async () => {
  fx = await createApiFixture({ alerts: 1 });
  campaigns = fx.campaigns;
  issuers = await startFakeIssuers();
});
afterAll(async () => {
  await issuers.close();
  await fx.close();
});

async function alertFor(type: string, name: string, provider: string, secret: string, n: number) {
  const { created } = await fx.store.recordDetections(fx.otherRepo.id, [detection(type, name, provider, secret, `leak/${n}.txt`, 500 + n)]);
  return created[0]!;
}

describe("auto-remediation", () => {
  const deps = () => ({
    store: fx.store,
    campaigns,
    revokers: createRevokers({
      urls: issuers.urls,
      revokeVigilToken: async (token) => {
        const found = await fx.store.findToken(token);
        if (!found || found.token.revokedAt) return false;
        await fx.store.revokeToken(found.token.id);
        return true;
      },
    }),
  });
  const orgId = () => fx.repo.orgId;

  it("does nothing until an owner enables the type", async () => {
    const secret = random.githubToken("ghp");
    issuers.live.github.add(secret);
    const alert = await alertFor("github_personal_access_token", "GitHub Personal Access Token", "GitHub", secret, 1);
    const result = await remediateAlert(deps(), orgId(), alert, fx.users.admin.id);
    expect(result.outcome).toBe("not_enabled");
    expect(issuers.live.github.has(secret)).toBe(true);
    expect((await fx.store.getAlert(alert.repoId, alert.number))!.state).toBe("open");
  });

  it("GitHub: POST /credentials/revoke, a timeline event, and the alert closed as revoked", async () => {
    await campaigns.setAutoRemediation(orgId(), "github_personal_access_token", true, fx.users.admin.id);
    const secret = random.githubToken("ghp");
    issuers.live.github.add(secret);
    const alert = await alertFor("github_personal_access_token", "GitHub Personal Access Token", "GitHub", secret, 2);
    const result = await remediateAlert(deps(), orgId(), alert, fx.users.admin.id);
    expect(result.outcome).toBe("revoked");
    expect(issuers.live.github.has(secret)).toBe(false);
    const after = (await fx.store.getAlert(alert.repoId, alert.number))!;
    expect([after.state, after.resolution]).toEqual(["resolved", "revoked"]);
    expect(after.resolutionComment).toMatch(/Revoked automatically through github/);
    const events = await fx.store.listEvents(alert.id);
    const event = events.find((e) => e.action === ("auto_remediation" as never))!;
    expect(event.payload).toMatchObject({ issuer: "github", revoked: true });
    expect(JSON.stringify(events)).not.toContain(secret);
  });

  it("Slack auth.revoke and npm token deletion: revoked, and an already-dead token counts as revoked", async () => {
    await campaigns.setAutoRemediation(orgId(), "slack_api_token", true, fx.users.admin.id);
    await campaigns.setAutoRemediation(orgId(), "npm_access_token", true, fx.users.admin.id);
    const slack = `xoxb-${random.digits(12)}-${random.digits(12)}-${random.alnum(24)}`;
    const npm = `npm_${random.alnum(36)}`;
    issuers.live.slack.add(slack);
    issuers.live.npm.add(npm);
    const a = await alertFor("slack_api_token", "Slack API Token", "Slack", slack, 3);
    const b = await alertFor("npm_access_token", "npm Access Token", "npm", npm, 4);
    expect((await remediateAlert(deps(), orgId(), a, null)).outcome).toBe("revoked");
    expect((await remediateAlert(deps(), orgId(), b, null)).outcome).toBe("revoked");
    expect(issuers.live.slack.size + issuers.live.npm.size).toBe(0);
    const dead = `xoxb-${random.digits(12)}-${random.digits(12)}-${random.alnum(24)}`;
    const c = await alertFor("slack_api_token", "Slack API Token", "Slack", dead, 5);
    const result = await remediateAlert(deps(), orgId(), c, null);
    expect(result).toMatchObject({ outcome: "revoked", detail: expect.stringMatching(/already invalid/) });
  });

  it("a refusal is recorded in the timeline and leaves the alert open", async () => {
    const npm = `npm_${random.alnum(36)}`;
    issuers.live.npm.add(npm);
    const alert = await alertFor("npm_access_token", "npm Access Token", "npm", npm, 6);
    const broken = { ...deps(), revokers: createRevokers({ urls: { ...issuers.urls, npm: `${issuers.urls.npm}/missing` } }) };
    const result = await remediateAlert(broken, orgId(), alert, null);
    expect(result.outcome).toBe("failed");
    expect((await fx.store.getAlert(alert.repoId, alert.number))!.state).toBe("open");
    const events = await fx.store.listEvents(alert.id);
    expect(events.find((e) => e.action === ("auto_remediation" as never))!.payload).toMatchObject({ revoked: false });
  });

  it("Vigil's own tokens are revoked in the store", async () => {
    await campaigns.setAutoRemediation(orgId(), "vigil_api_token", true, fx.users.admin.id);
    const { token } = await fx.store.createToken({ userId: fx.users.writer.id, scopes: ["repo"] });
    const alert = await alertFor("vigil_api_token", "Vigil API Token", "Vigil", token, 7);
    expect((await remediateAlert(deps(), orgId(), alert, null)).outcome).toBe("revoked");
    expect(await fx.store.authenticateToken(token)).toBeNull();
  });
});
