import { ExampleRandom } from "vigil-secrets-engine";
import { sql } from "kysely";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Organization, Repository, User } from "../alerts/types.js";
import { StoreConflictError } from "../alerts/alert-store.js";
import { detection } from "../test-support/api-fixture.js";
import { openTestStore, testDialects, type TestStore } from "./test-databases.js";

const random = new ExampleRandom(0xc4a);

describe.each(testDialects())("campaign store on $name", (dialect) => {
  if (dialect.name === "postgres" && !dialect.url) {
    it.skip("PostgreSQL suite skipped: set VIGIL_TEST_POSTGRES_URL to run it", () => {});
    return;
  }

  let opened: TestStore;
  let org: Organization;
  let repo: Repository;
  let user: User;

  beforeEach(async () => {
    opened = await openTestStore(dialect);
    org = await opened.store.ensureOrganization("acme");
    repo = await opened.store.createRepository({ owner: "acme", name: "api", sourceUrl: null, mirrorPath: "/nonexistent/api.git" });
    user = await opened.store.createUser({ login: "lead" });
  });
  afterEach(async () => opened.dispose());

  it("a campaign keeps its alerts; names are unique per organization; deleting the repository removes its rows", async () => {
    const { created } = await opened.store.recordDetections(repo.id, [
      detection("github_personal_access_token", "GitHub Personal Access Token", "GitHub", random.githubToken("ghp"), "a.env", 1),
    ]);
    const alert = created[0]!;
    const c = await opened.campaigns.createCampaign({
      orgId: org.id,
      name: "Q4",
      description: null,
      ownerId: user.id,
      endsAt: "2026-12-31T23:59:59.000Z",
      filters: { secretTypes: ["github_personal_access_token"], validities: ["active"] },
      createdBy: user.id,
      alerts: [{ alertId: alert.id, repoId: repo.id, alertNumber: alert.number }],
    });
    expect(await opened.campaigns.getCampaign(org.id, c.id)).toMatchObject({ name: "Q4", endsAt: "2026-12-31T23:59:59.000Z", filters: { validities: ["active"] }, state: "open" });
    expect(await opened.campaigns.listCampaignAlerts(c.id)).toEqual([expect.objectContaining({ alertId: alert.id, alertNumber: 1, repoId: repo.id })]);
    await expect(opened.campaigns.createCampaign({ orgId: org.id, name: "Q4", description: null, ownerId: null, endsAt: null, filters: {}, createdBy: null, alerts: [] })).rejects.toBeInstanceOf(StoreConflictError);
    expect((await opened.campaigns.updateCampaign(c.id, { state: "closed" })).state).toBe("closed");
    await opened.campaigns.saveOutreach({ campaignId: c.id, repoId: repo.id, channel: "issue", issueNumber: 7, url: "http://forge.test/acme/api/issues/7", bodyHash: "h1", state: "open" });
    const again = await opened.campaigns.saveOutreach({ campaignId: c.id, repoId: repo.id, channel: "issue", issueNumber: 7, url: "http://forge.test/acme/api/issues/7", bodyHash: "h2", state: "closed" });
    expect(await opened.campaigns.listOutreach(c.id)).toEqual([again]);
    await opened.store.deleteRepository(repo.id);
    expect(await opened.campaigns.listCampaignAlerts(c.id)).toEqual([]);
    expect(await opened.campaigns.listOutreach(c.id)).toEqual([]);
  });

  it("the forge token is sealed at rest and read back only by getForgeToken", async () => {
    const token = `glpat-${random.alnum(20)}`;
    const saved = await opened.campaigns.setForgeConnection(org.id, { kind: "gitlab", apiUrl: "https://gitlab.example/api/v4", token, namespace: "security" }, user.id);
    expect(JSON.stringify(saved)).not.toContain(token);
    expect(await opened.campaigns.getForgeToken(org.id)).toBe(token);
    const { rows } = await sql<{ sealed_token: string }>`select sealed_token from forge_connections`.execute(opened.db);
    expect(rows[0]!.sealed_token).toMatch(/^v1:/);
    expect(rows[0]!.sealed_token).not.toContain(token);
    expect(await opened.campaigns.deleteForgeConnection(org.id)).toBe(true);
    expect(await opened.campaigns.getForgeToken(org.id)).toBeNull();
  });

  it("playbooks and auto-remediation switches per organization and type", async () => {
    await opened.campaigns.setPlaybook(org.id, "npm_access_token", "Delete it on npmjs.com.", user.id);
    expect((await opened.campaigns.getPlaybook(org.id, "npm_access_token"))!.body).toBe("Delete it on npmjs.com.");
    await opened.campaigns.setPlaybook(org.id, "npm_access_token", "Run npm token revoke.", user.id);
    expect((await opened.campaigns.getPlaybook(org.id, "npm_access_token"))!.body).toBe("Run npm token revoke.");
    await opened.campaigns.setPlaybook(org.id, "npm_access_token", null, user.id);
    expect(await opened.campaigns.getPlaybook(org.id, "npm_access_token")).toBeNull();
    await opened.campaigns.setAutoRemediation(org.id, "slack_api_token", true, user.id);
    await opened.campaigns.setAutoRemediation(org.id, "slack_api_token", false, user.id);
    await opened.campaigns.setAutoRemediation(org.id, "npm_access_token", true, user.id);
    expect((await opened.campaigns.listAutoRemediation(org.id)).map((s) => [s.secretType, s.enabled])).toEqual([
      ["npm_access_token", true],
      ["slack_api_token", false],
    ]);
    await opened.store.setRepoRole(repo.id, user.id, "admin");
    expect(await opened.campaigns.listRepositoryAdmins(repo.id)).toEqual(["lead"]);
  });
});
