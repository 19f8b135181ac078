import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Octokit } from "@octokit/rest";
import { ExampleRandom } from "vigil-secrets-engine";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ISSUER_FAKES, startIssuerFakes, type RunningFake } from "../test-support/issuer-fakes.js";
import { startVigilServer, type RunningServer } from "../test-support/vigil-server.js";
import { startWebhookReceiver, type WebhookReceiver } from "../test-support/webhook-receiver.js";

/**
 * The issue's "done when": with validity checks enabled against local fakes of two providers (GitHub
 * and npm), an active and a revoked key of each in a scanned repository show `active` and `inactive`.
 */
const POSTGRES_URL = process.env.VIGIL_TEST_POSTGRES_URL;

describe.each([
  { dialect: "sqlite", url: undefined as string | undefined },
  { dialect: "postgres", url: POSTGRES_URL },
])("validity checks through vigil serve ($dialect)", ({ dialect, url }) => {
  const skip = dialect === "postgres" && !url;
  let server: RunningServer;
  let fake: RunningFake;
  let receiver: WebhookReceiver;
  let source: string;
  let octokit: Octokit;
  const random = new ExampleRandom(0x14e2e);
  const github = { live: random.githubToken("ghp"), revoked: random.githubToken("ghp") };
  const npm = { live: random.githubToken("npm"), revoked: random.githubToken("npm") };
  // The fakes read this list on every request: removing a token from it revokes it.
  const live = [{ secret: github.live }, { secret: npm.live }];

  const alertsBySecret = async (): Promise<Map<string, { number: number; validity: string }>> => {
    const alerts = await octokit.paginate(octokit.rest.secretScanning.listAlertsForRepo, {
      owner: "acme",
      repo: "app",
    });
    return new Map(alerts.map((a) => [a.secret!, { number: a.number!, validity: a.validity! }]));
  };
  const waitFor = async (what: string, done: () => Promise<boolean>): Promise<void> => {
    const deadline = Date.now() + 45_000;
    while (!(await done())) {
      if (Date.now() > deadline) throw new Error(`not within 45 s: ${what}`);
      await new Promise((r) => setTimeout(r, 250));
    }
  };

  beforeAll(async () => {
    if (skip) return;
    fake = await startIssuerFakes([ISSUER_FAKES.github_personal_access_token!, ISSUER_FAKES.npm_access_token!], live);
    source = mkdtempSync(join(tmpdir(), "vigil-validity-src-"));
    const git = (...args: string[]) =>
      execFileSync("git", args, {
        cwd: source,
        env: {
          ...process.env,
          GIT_AUTHOR_NAME: "Dev",
          GIT_AUTHOR_EMAIL: "dev@example.com",
          GIT_COMMITTER_NAME: "Dev",
          GIT_COMMITTER_EMAIL: "dev@example.com",
        },
      });
    git("init", "-q", "-b", "main");
    writeFileSync(join(source, "deploy.env"), `GITHUB_TOKEN=${github.live}\nOLD_GITHUB_TOKEN=${github.revoked}\n`);
    writeFileSync(join(source, ".npmrc"), `//registry.npmjs.org/:_authToken=${npm.live}\n# rotated: ${npm.revoked}\n`);
    git("add", ".");
    git("commit", "-qm", "config");
    receiver = await startWebhookReceiver({ secret: "validity-hook-secret" });
    server = await startVigilServer({
      ...(url ? { postgresUrl: url } : {}),
      env: { VIGIL_TEST_ONLY_VALIDITY_ORIGIN: fake.origin },
      extraArgs: ["--allow-private-webhooks"],
    });
    expect(server.cli(["repo", "add", "acme/app", source]).status).toBe(0);
    const token = server.cli([
      "token",
      "create",
      "--user",
      "admin",
      "--scopes",
      "repo,security_events,admin:org,write:org,admin:repo_hook",
    ]);
    expect(token.status, token.stderr).toBe(0);
    octokit = new Octokit({ baseUrl: `${server.url}/api/v3`, auth: token.stdout.trim() });
    await waitFor("four alerts", async () => (await alertsBySecret()).size === 4);
    await octokit.rest.repos.createWebhook({
      owner: "acme",
      repo: "app",
      config: { url: receiver.url, content_type: "json", secret: "validity-hook-secret" },
      events: ["secret_scanning_alert"],
    });
  }, 90_000);

  afterAll(async () => {
    await server?.stop();
    await fake?.close();
    await receiver?.close();
    if (source) rmSync(source, { recursive: true, force: true });
  });

  it.skipIf(skip)(
    "is off until the organization enables it: nothing is sent and every alert stays unknown",
    async () => {
      // Two sweeps' time: an organization that did not enable checks sends nothing.
      await new Promise((r) => setTimeout(r, 4500));
      expect(fake.requests).toHaveLength(0);
      expect([...(await alertsBySecret()).values()].map((a) => a.validity)).toEqual([
        "unknown",
        "unknown",
        "unknown",
        "unknown",
      ]);
      const { number } = (await alertsBySecret()).get(github.live)!;
      const refused = await octokit
        .request("POST /repos/{owner}/{repo}/secret-scanning/alerts/{alert_number}/validity", {
          owner: "acme",
          repo: "app",
          alert_number: number,
        })
        .catch((e: { status: number; response: { data: { message: string } } }) => e);
      expect(refused).toMatchObject({
        status: 422,
        response: { data: { message: expect.stringMatching(/not enabled for this organization/) as unknown } },
      });
    },
  );

  it.skipIf(skip)(
    "once enabled, new alerts are checked: active and revoked keys of both providers show active and inactive",
    async () => {
      const bad = await octokit
        .request("PATCH /orgs/{org}", { org: "acme", secret_scanning_validity_checks_enabled: "yes" } as never)
        .catch((e: { status: number; response: { data: { message: string } } }) => e);
      expect(bad).toMatchObject({
        status: 422,
        response: { data: { message: "Invalid secret_scanning_validity_checks_enabled: must be true or false" } },
      });
      const { data } = await octokit.request("PATCH /orgs/{org}", {
        org: "acme",
        secret_scanning_validity_checks_enabled: true,
      } as never);
      expect(data).toMatchObject({ secret_scanning_validity_checks_enabled: true });
      await waitFor("every alert checked", async () =>
        [...(await alertsBySecret()).values()].every((a) => a.validity !== "unknown"),
      );
      const alerts = await alertsBySecret();
      expect(alerts.get(github.live)?.validity).toBe("active");
      expect(alerts.get(github.revoked)?.validity).toBe("inactive");
      expect(alerts.get(npm.live)?.validity).toBe("active");
      expect(alerts.get(npm.revoked)?.validity).toBe("inactive");
      // GitHub's list filter.
      const active = await octokit.paginate(octokit.rest.secretScanning.listAlertsForRepo, {
        owner: "acme",
        repo: "app",
        validity: "active",
      });
      expect(active.map((a) => a.secret).sort()).toEqual([github.live, npm.live].sort());
      // The repository shows the organization's setting.
      const repo = await octokit.request("GET /repos/{owner}/{repo}", { owner: "acme", repo: "app" });
      expect(
        (repo.data as unknown as { security_and_analysis: Record<string, unknown> }).security_and_analysis
          .secret_scanning_validity_checks,
      ).toEqual({ status: "enabled" });
      // Each secret went only to its own issuer, once, where the issuer reads it.
      const sent = fake.requests.map((r) => `${r.method} ${r.path} ${String(r.headers.authorization)}`).sort();
      expect(sent).toEqual(
        [
          `GET /user Bearer ${github.live}`,
          `GET /user Bearer ${github.revoked}`,
          `GET /-/whoami Bearer ${npm.live}`,
          `GET /-/whoami Bearer ${npm.revoked}`,
        ].sort(),
      );
      // GitHub's `validated` webhook for each change, signed, without the secret.
      const validated = () =>
        receiver.received.filter(
          (d) => d.headers["x-github-event"] === "secret_scanning_alert" && d.payload.action === "validated",
        );
      await waitFor("four validated deliveries", () => Promise.resolve(validated().length === 4));
      const delivered = Object.fromEntries(
        validated().map((d) => [
          (d.payload.alert as { number: number }).number,
          (d.payload.alert as { validity: string }).validity,
        ]),
      );
      expect(delivered).toEqual(Object.fromEntries([...alerts.values()].map((a) => [a.number, a.validity])));
      expect(
        validated().every((d) => d.verified === true && !d.body.includes(github.live) && !d.body.includes(npm.live)),
      ).toBe(true);
    },
  );

  it.skipIf(skip)("checks on demand: a key revoked since shows inactive, with the time of the check", async () => {
    const { number } = (await alertsBySecret()).get(github.live)!;
    live.splice(0, 1);
    const { data } = await octokit.request(
      "POST /repos/{owner}/{repo}/secret-scanning/alerts/{alert_number}/validity",
      { owner: "acme", repo: "app", alert_number: number },
    );
    expect(data).toMatchObject({
      number,
      validity: "inactive",
      validity_checks_enabled: true,
      last_check: { result: "inactive", detail: "HTTP 401", source: "on_demand" },
    });
    const checkedAt = Date.parse((data as { last_check: { checked_at: string } }).last_check.checked_at);
    expect(Math.abs(Date.now() - checkedAt)).toBeLessThan(60_000);
    const read = await octokit.request("GET /repos/{owner}/{repo}/secret-scanning/alerts/{alert_number}/validity", {
      owner: "acme",
      repo: "app",
      alert_number: number,
    });
    expect(read.data).toEqual(data);
    expect((await alertsBySecret()).get(github.live)?.validity).toBe("inactive");
  });
});
