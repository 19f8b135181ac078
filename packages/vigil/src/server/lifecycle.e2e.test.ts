import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Octokit } from "@octokit/rest";
import { ExampleRandom } from "vigil-secrets-engine";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startVigilServer, type RunningServer } from "../test-support/vigil-server.js";

/** Over a real socket with GitHub's client: the URLs of a scanned alert resolve, tokens are revoked, a repository is deleted. */
describe("lifecycle through vigil serve", () => {
  let server: RunningServer;
  let source: string;
  let secret: string;
  let octokit: Octokit;

  beforeAll(async () => {
    source = mkdtempSync(join(tmpdir(), "vigil-lifecycle-src-"));
    const git = (...args: string[]) =>
      execFileSync("git", args, {
        cwd: source,
        encoding: "utf8",
        env: {
          ...process.env,
          GIT_AUTHOR_NAME: "Dev",
          GIT_AUTHOR_EMAIL: "dev@example.com",
          GIT_COMMITTER_NAME: "Dev",
          GIT_COMMITTER_EMAIL: "dev@example.com",
        },
      }).trim();
    secret = new ExampleRandom(0xe2e).githubToken("ghp");
    git("init", "-q", "-b", "main");
    writeFileSync(join(source, "app.env"), `GITHUB_TOKEN=${secret}\n`);
    git("add", ".");
    git("commit", "-qm", "config");
    server = await startVigilServer();
    const added = server.cli([
      "repo",
      "add",
      "acme/app",
      source,
      "--web-url-template",
      "https://git.example/{owner}/{repo}/blob/{commit}/{path}#L{line}",
    ]);
    expect(added.status, added.stderr).toBe(0);
    const token = server.cli([
      "token",
      "create",
      "--user",
      "admin",
      "--scopes",
      "repo,security_events,delete_repo,user",
    ]);
    expect(token.status, token.stderr).toBe(0);
    octokit = new Octokit({ baseUrl: `${server.url}/api/v3`, auth: token.stdout.trim() });
    const deadline = Date.now() + 30_000;
    for (;;) {
      const { data } = await octokit.rest.secretScanning.listAlertsForRepo({ owner: "acme", repo: "app" });
      if (data.length > 0) break;
      if (Date.now() > deadline) throw new Error("no alert within 30 s");
      await new Promise((r) => setTimeout(r, 200));
    }
  }, 60_000);

  afterAll(async () => {
    await server?.stop();
    rmSync(source, { recursive: true, force: true });
  });

  it("the alert's and its location's URLs resolve: API objects, the git objects of the mirror, the web view template", async () => {
    const [alert] = await octokit.paginate(octokit.rest.secretScanning.listAlertsForRepo, {
      owner: "acme",
      repo: "app",
    });
    expect((await octokit.request(`GET ${alert!.url}`)).data).toMatchObject({ number: alert!.number, secret });
    // html_url is the alert's web page: a browser without a session is sent to sign in.
    expect(alert!.html_url).toBe(`${server.url}/acme/app/security/secret-scanning/${alert!.number}`);
    const page = await fetch(alert!.html_url!, { redirect: "manual" });
    expect(page.status).toBe(303);
    expect(page.headers.get("location")).toMatch(/^\/login\?return_to=/);
    const { data: locations } = await octokit.rest.secretScanning.listLocationsForAlert({
      owner: "acme",
      repo: "app",
      alert_number: alert!.number!,
    });
    const details = locations[0]!.details as unknown as {
      commit_url: string;
      blob_url: string;
      html_url: string;
      commit_sha: string;
      path: string;
    };
    const commit = await octokit.request(`GET ${details.commit_url}`);
    expect(commit.data).toMatchObject({ sha: details.commit_sha, message: "config" });
    const blob = await octokit.request(`GET ${details.blob_url}`);
    expect(Buffer.from((blob.data as { content: string }).content, "base64").toString()).toBe(
      `GITHUB_TOKEN=${secret}\n`,
    );
    expect(details.html_url).toBe(`https://git.example/acme/app/blob/${details.commit_sha}/app.env#L1`);
  });

  // Before the tests that run git and the CLI synchronously: those block the event loop for seconds, so
  // fetch would not see the server close an idle keep-alive connection, and would reuse it.
  it("DELETE /repos/{owner}/{repo} removes the repository, its alerts and its mirror", async () => {
    const mirror = join(server.dataDir, "repos", "acme", "app.git");
    expect(existsSync(mirror)).toBe(true);
    const res = await octokit.rest.repos.delete({ owner: "acme", repo: "app" });
    expect(res.status).toBe(204);
    expect(existsSync(mirror)).toBe(false);
    expect(
      await octokit.rest.secretScanning
        .listAlertsForRepo({ owner: "acme", repo: "app" })
        .catch((e: { status: number }) => e.status),
    ).toBe(404);
    expect(server.cli(["repo", "list"]).stdout).not.toContain("acme/app");
    expect(existsSync(join(source, ".git"))).toBe(true);
  });

  it("a token revoked with the CLI while the server runs answers 401 at once", async () => {
    const created = server.cli(["token", "create", "--user", "ci", "--scopes", "user"]);
    const ci = new Octokit({ baseUrl: `${server.url}/api/v3`, auth: created.stdout.trim() });
    const { data } = await ci.request("GET /vigil/tokens");
    const [mine] = data as { id: number }[];
    expect(server.cli(["token", "revoke", String(mine!.id)]).status).toBe(0);
    expect(await ci.request("GET /vigil/tokens").catch((e: { status: number }) => e.status)).toBe(401);
  });

  it("the documented clones keep the token out of .git/config: a credential helper, or a header from the environment", () => {
    expect(server.cli(["repo", "add", "acme/hosted"]).status).toBe(0);
    const devToken = server.cli(["token", "create", "--user", "dev", "--scopes", "repo"]).stdout.trim();
    expect(server.cli(["grant", "dev", "--repo", "acme/hosted", "--role", "write"]).status).toBe(0);
    const home = mkdtempSync(join(tmpdir(), "vigil-clone-home-"));
    const origin = new URL(server.url);
    const env = {
      ...process.env,
      HOME: home,
      XDG_CONFIG_HOME: join(home, ".config"),
      XDG_CACHE_HOME: join(home, ".cache"),
      GIT_TERMINAL_PROMPT: "0",
      GIT_AUTHOR_NAME: "Dev",
      GIT_AUTHOR_EMAIL: "dev@example.com",
      GIT_COMMITTER_NAME: "Dev",
      GIT_COMMITTER_EMAIL: "dev@example.com",
    };
    const sh = (script: string, extra: Record<string, string> = {}) =>
      execFileSync("sh", ["-c", script], { cwd: home, env: { ...env, ...extra }, encoding: "utf8" });
    try {
      // docs/server.md, "Hosting repositories": the credential helper.
      sh(
        `git config --global credential.${origin.origin}.helper 'cache --timeout=300'
printf 'protocol=http\nhost=${origin.host}\nusername=dev\npassword=%s\n\n' "$DEV_TOKEN" | git credential approve
git clone -q ${origin.protocol}//dev@${origin.host}/acme/hosted.git helper
cd helper && echo hello > README.md && git add README.md && git commit -qm first && git push -q origin HEAD:main`,
        { DEV_TOKEN: devToken },
      );
      expect(readFileSync(join(home, "helper", ".git", "config"), "utf8")).not.toContain(devToken);

      // The same, for CI: the header from the environment.
      sh(
        `export GIT_CONFIG_COUNT=1 GIT_CONFIG_KEY_0=http.${origin.origin}/.extraHeader GIT_CONFIG_VALUE_0="Authorization: Bearer $DEV_TOKEN"
git clone -q -b main ${server.url}/acme/hosted.git header
cd header && test "$(cat README.md)" = hello && echo more >> README.md && git commit -qam second && git push -q origin HEAD:main`,
        { DEV_TOKEN: devToken },
      );
      expect(readFileSync(join(home, "header", ".git", "config"), "utf8")).not.toContain(devToken);
      for (const dir of ["helper", "header"])
        expect(execFileSync("git", ["-C", join(home, dir), "remote", "-v"], { encoding: "utf8" })).not.toContain(
          devToken,
        );
    } finally {
      try {
        sh("git credential-cache exit");
      } catch {
        // no daemon was started
      }
      rmSync(home, { recursive: true, force: true });
    }
  });
});
