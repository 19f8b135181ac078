import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ExampleRandom } from "vigil-secrets-engine";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Organization, Repository } from "../alerts/types.js";
import { openStore, type OpenedStore } from "../store/index.js";
import { detection } from "../test-support/api-fixture.js";
import { startFakeIssueForge } from "../test-support/fake-issue-forge.js";
import { createTempRepository, type TempRepository } from "../sources/git/temp-repository.js";
import { campaignProgress, formatRemediationCsv, loadCampaignAlerts, remediationRows, startCampaign } from "./campaign-data.js";
import { createMaintainerLookup } from "./find-maintainers.js";
import { createIssueTracker } from "./forge-issues.js";
import { runOutreach } from "./run-outreach.js";

let dir: string;
let opened: OpenedStore;
let org: Organization;
let api: Repository;
let web: Repository;
let apiGit: TempRepository;
let webGit: TempRepository;
let userId: number;
const random = new ExampleRandom(0xca3);
const secrets: string[] = [];

/** A detection committed by someone, as the history scan records it. */
function committed(secret: string, path: string, n: number, author: { name: string; email: string }) {
  const d = detection("github_personal_access_token", "GitHub Personal Access Token", "GitHub", secret, path, n);
  return { ...d, location: { type: "commit" as const, details: { ...(d.location.details as object), authorName: author.name, authorEmail: author.email } } } as typeof d;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "vigil-outreach-"));
  opened = await openStore({ dataDir: dir, env: { VIGIL_SECRET_KEY: Buffer.alloc(32, 9).toString("base64") } });
  const { store } = opened;
  org = await store.ensureOrganization("acme");
  // Real git histories: CODEOWNERS in .github/ for api (its services/ owned by a team), none in web.
  apiGit = createTempRepository();
  apiGit.commit("owners", { ".github/CODEOWNERS": "* @acme/platform\n/services/ @acme/payments @zoe\n" });
  apiGit.commit("config", { "services/billing.env": "x" });
  webGit = createTempRepository();
  webGit.commit("site", { "site/.env": "y" });
  api = await store.createRepository({ owner: "acme", name: "api", sourceUrl: null, mirrorPath: apiGit.dir });
  web = await store.createRepository({ owner: "acme", name: "web", sourceUrl: null, mirrorPath: webGit.dir });
  const user = await store.createUser({ login: "sec-lead" });
  userId = user.id;
  for (let i = 0; i < 4; i++) secrets.push(random.githubToken("ghp"));
  const mallory = { name: "Mallory Dev", email: "mallory@example.com" };
  await store.recordDetections(api.id, [committed(secrets[0]!, "services/billing.env", 1, mallory)]);
  await store.recordDetections(api.id, [committed(secrets[1]!, "README.md", 2, { name: "Ned", email: "ned@example.com" })]);
  await store.recordDetections(web.id, [committed(secrets[2]!, "site/.env", 3, mallory)]);
});

afterAll(async () => {
  await opened.close();
  rmSync(dir, { recursive: true, force: true });
  rmSync(apiGit.dir, { recursive: true, force: true });
  rmSync(webGit.dir, { recursive: true, force: true });
});

const lookup = () => createMaintainerLookup({ listAdmins: (repo) => opened.campaigns.listRepositoryAdmins(repo.id) });

describe("maintainers", () => {
  it("CODEOWNERS for the path (last match wins), else the file's recent committers, and always who committed the secret", async () => {
    const loaded = await loadCampaignAlerts(opened.store, opened.campaigns, (await startCampaign(opened.store, opened.campaigns, org, { name: "m", description: null, ownerId: null, endsAt: null, filters: {}, createdBy: userId })).campaign);
    const apiAlerts = loaded.byRepo.get(api.id)!.alerts;
    const billing = await lookup().forAlerts(api, apiAlerts.filter((a) => a.number === 1));
    expect(billing.map((m) => m.name)).toEqual(["Mallory Dev <mallory@example.com>", "@acme/payments", "@zoe"]);
    const readme = await lookup().forAlerts(api, apiAlerts.filter((a) => a.number === 2));
    expect(readme.map((m) => m.name)).toEqual(["Ned <ned@example.com>", "@acme/platform"]);
    // No CODEOWNERS in web: git log names the file's committers (the test identity authors every commit there).
    const site = await lookup().forAlerts(web, loaded.byRepo.get(web.id)!.alerts);
    expect(site).toEqual([
      { name: "Mallory Dev <mallory@example.com>", sources: ["introduced_secret"] },
      { name: "Ada Author <ada@example.com>", sources: ["recent_committer"] },
    ]);
  });

  it("with neither CODEOWNERS nor history for the path, the repository's admins", async () => {
    const admin = await opened.store.createUser({ login: "webadmin" });
    await opened.store.setRepoRole(web.id, admin.id, "admin");
    const alert = { ...(await opened.store.getAlert(web.id, 1))! };
    alert.firstLocation = { ...alert.firstLocation!, details: { ...(alert.firstLocation!.details as object), path: "gone/file.txt" } as never };
    const who = await lookup().forAlerts(web, [alert]);
    expect(who.map((m) => [m.name, m.sources])).toEqual([
      ["Mallory Dev <mallory@example.com>", ["introduced_secret"]],
      ["@webadmin", ["repository_admin"]],
    ]);
  });
});

describe("outreach", () => {
  for (const kind of ["github", "gitlab"] as const) {
    it(`${kind}: one issue per repository, none twice on a re-run, updated and closed as alerts close`, async () => {
      const forge = await startFakeIssueForge({ kind, token: `forge-token-${kind}`, repos: ["acme/api", "acme/web"] });
      try {
        const { campaign, alertCount } = await startCampaign(opened.store, opened.campaigns, org, {
          name: `q4 ${kind}`,
          description: "Revoke before the audit",
          ownerId: userId,
          endsAt: "2026-12-31T23:59:59.000Z",
          filters: { secretTypes: ["github_personal_access_token"] },
          createdBy: userId,
        });
        expect(alertCount).toBe(3);
        const deps = () => ({
          store: opened.store,
          campaigns: opened.campaigns,
          maintainers: lookup(),
          tracker: createIssueTracker({ kind, apiUrl: forge.apiUrl, token: `forge-token-${kind}` }),
          webUrl: "https://vigil.example",
        });
        const first = await runOutreach(deps(), org, campaign);
        expect(first.created).toBe(2);
        expect(forge.issues.map((i) => i.repo).sort()).toEqual(["acme/api", "acme/web"]);
        const apiIssue = forge.issues.find((i) => i.repo === "acme/api")!;
        expect(apiIssue.title).toBe("Secret scanning: 2 leaked secrets to revoke (q4 " + kind + ")");
        expect(apiIssue.body).toContain("@acme/payments");
        expect(apiIssue.body).toContain("Mallory Dev \\<mallory@example.com\\> (committed the secret)");
        expect(apiIssue.body).toContain("https://vigil.example/acme/api/security/secret-scanning/1");
        expect(apiIssue.body).toContain("Revoke it at: https://github.com/settings/tokens");
        // Masked: never the secret itself.
        for (const secret of secrets) for (const issue of forge.issues) expect(issue.body).not.toContain(secret);
        expect(apiIssue.body).toContain(secrets[0]!.slice(0, 4) + "****");

        const again = await runOutreach(deps(), org, campaign);
        expect({ created: again.created, unchanged: again.unchanged, updated: again.updated }).toEqual({ created: 0, unchanged: 2, updated: 0 });
        expect(forge.issues).toHaveLength(2);

        // One of api's two alerts closes: its issue is updated (still open); web's closes: its issue closes.
        await opened.store.updateAlert(api.id, 1, { state: "resolved", resolution: "revoked" }, userId);
        await opened.store.updateAlert(web.id, 1, { state: "resolved", resolution: "revoked" }, userId);
        const third = await runOutreach(deps(), org, campaign);
        expect({ created: third.created, updated: third.updated, closed: third.closed }).toEqual({ created: 0, updated: 1, closed: 1 });
        expect(forge.issues.find((i) => i.repo === "acme/api")!.state).toBe("open");
        expect(forge.issues.find((i) => i.repo === "acme/api")!.title).toContain("1 leaked secret to revoke");
        expect(forge.issues.find((i) => i.repo === "acme/web")!.state).toBe("closed");

        const progress = campaignProgress(campaign, await loadCampaignAlerts(opened.store, opened.campaigns, campaign));
        expect({ total: progress.total, open: progress.open, closed: progress.closed, revoked: progress.revoked }).toEqual({ total: 3, open: 1, closed: 2, revoked: 2 });
        expect(progress.repositories).toEqual([
          { repository: "acme/api", total: 2, open: 1, closed: 1 },
          { repository: "acme/web", total: 1, open: 0, closed: 1 },
        ]);
        expect(progress.committers[0]).toEqual({ committer: "Mallory Dev <mallory@example.com>", alerts: 2, repositories: ["acme/api", "acme/web"] });
        expect(progress.overTime.at(-1)).toMatchObject({ open: 1, closed: 2 });
        expect(progress.meanTimeToRemediateSeconds).toBeGreaterThanOrEqual(0);
      } finally {
        await opened.store.updateAlert(api.id, 1, { state: "open", resolution: null }, userId).catch(() => undefined);
        await opened.store.updateAlert(web.id, 1, { state: "open", resolution: null }, userId).catch(() => undefined);
        await forge.close();
      }
    });
  }

  it("a forge failure is reported per repository and a re-run recovers without duplicates", async () => {
    const forge = await startFakeIssueForge({ kind: "github", token: "t0ken-for-failures", repos: ["acme/api", "acme/web"] });
    try {
      const { campaign } = await startCampaign(opened.store, opened.campaigns, org, { name: "failing", description: null, ownerId: null, endsAt: null, filters: {}, createdBy: userId });
      const deps = { store: opened.store, campaigns: opened.campaigns, maintainers: lookup(), tracker: createIssueTracker({ kind: "github", apiUrl: forge.apiUrl, token: "t0ken-for-failures" }), webUrl: "https://vigil.example" };
      forge.failNext(502);
      const first = await runOutreach(deps, org, campaign);
      expect(first.failed).toBe(1);
      expect(first.repositories.find((r) => r.outcome === "failed")!.error).toMatch(/502/);
      expect(JSON.stringify(first)).not.toContain("t0ken-for-failures");
      const second = await runOutreach(deps, org, campaign);
      expect(second.created).toBe(1);
      expect(forge.issues).toHaveLength(2);
    } finally {
      await forge.close();
    }
  });

  it("export: exactly the seed's fields, grouped by secret type, masked unless revealed", async () => {
    const { campaign } = await startCampaign(opened.store, opened.campaigns, org, { name: "export", description: null, ownerId: null, endsAt: null, filters: {}, createdBy: userId });
    const loaded = await loadCampaignAlerts(opened.store, opened.campaigns, campaign);
    const masked = await remediationRows(org, loaded.byRepo.values(), lookup(), false);
    expect(Object.keys(masked[0]!)).toEqual(["organization", "repository", "secret_type", "secret_value", "maintainers"]);
    expect(masked.map((r) => r.secret_value)).not.toContain(secrets[0]);
    const csv = formatRemediationCsv(masked);
    expect(csv.split("\r\n")[0]).toBe("organization,repository,secret_type,secret_value,maintainers");
    expect(csv).toContain("acme,acme/api,github_personal_access_token,");
    const revealed = await remediationRows(org, loaded.byRepo.values(), lookup(), true);
    expect(revealed.map((r) => r.secret_value)).toContain(secrets[0]);
  });
});
