import { execFileSync } from "node:child_process";
import { createHmac } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openStore, type OpenedStore } from "../store/index.js";
import { forgeRepository, synthesisePypiToken } from "../test-support/pypi-token.js";
import { createServer, type VigilServer } from "./create-server.js";
import { scanRepositoryHistory } from "./scan-repository-history.js";

const SECRET = "wiki-webhook-secret-for-tests";
let dir: string;
let opened: OpenedStore;
let server: VigilServer;
const token = synthesisePypiToken();

const git = (cwd: string, ...args: string[]): string =>
  execFileSync("git", args, {
    cwd,
    encoding: "utf8",
    env: {
      ...process.env,
      GIT_AUTHOR_NAME: "Dev",
      GIT_AUTHOR_EMAIL: "dev@example.com",
      GIT_COMMITTER_NAME: "Dev",
      GIT_COMMITTER_EMAIL: "dev@example.com",
      GIT_CONFIG_GLOBAL: "/dev/null",
    },
  });

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "vigil-wiki-"));
  // The forge's repository and its wiki, side by side as GitHub and Gitea keep them.
  const work = join(dir, "work");
  execFileSync("git", ["init", "-q", "-b", "main", work]);
  writeFileSync(join(work, "README.md"), "# site\n");
  git(work, "add", ".");
  git(work, "commit", "-qm", "init");
  git(dir, "clone", "-q", "--bare", work, "site.git");
  const wiki = join(dir, "wiki");
  execFileSync("git", ["init", "-q", "-b", "master", wiki]);
  writeFileSync(join(wiki, "Home.md"), "# Home\n");
  git(wiki, "add", ".");
  git(wiki, "commit", "-qm", "home");
  writeFileSync(join(wiki, "Publishing.md"), `# Publishing\n\nRun twine with\n\n    TWINE_PASSWORD=${token}\n`);
  git(wiki, "add", ".");
  git(wiki, "commit", "-qm", "publishing");
  git(dir, "clone", "-q", "--bare", wiki, "site.wiki.git");

  opened = await openStore({
    dataDir: join(dir, "data"),
    env: { VIGIL_SECRET_KEY: Buffer.alloc(32, 2).toString("base64") },
  });
  await opened.store.createRepository({
    owner: "acme",
    name: "site",
    sourceUrl: join(dir, "site.git"),
    mirrorPath: join(dir, "data", "repos", "acme", "site.git"),
    isPublic: true,
  });
  server = createServer({
    store: opened.store,
    pushProtection: opened.pushProtection,
    storeEnv: {},
    dataDir: join(dir, "data"),
    scanHistory: scanRepositoryHistory,
    log: pino({ level: "silent" }),
    forgeWebhookSecret: SECRET,
    background: false,
  });
});
afterAll(async () => {
  await server.close();
  await opened.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("wiki scanning (gollum)", () => {
  it("a gollum delivery scans the wiki's git history; findings are wiki_commit locations on the forge", async () => {
    const body = JSON.stringify({
      pages: [
        {
          page_name: "Publishing",
          title: "Publishing",
          action: "created",
          sha: "x",
          html_url: "https://forge.test/acme/site/wiki/Publishing",
        },
      ],
      repository: { ...forgeRepository("acme/site"), html_url: "https://forge.test/acme/site" },
    });
    const res = await server.app.request("http://vigil.test/webhooks/forge", {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "x-github-event": "gollum",
        "x-hub-signature-256": `sha256=${createHmac("sha256", SECRET).update(body).digest("hex")}`,
      },
      body,
    });
    expect(res.status).toBe(202);
    await server.runner.idle();
    const repo = (await opened.store.getRepository("acme", "site"))!;
    const alert = (await opened.store.getAlert(repo.id, 1))!;
    expect(alert).toMatchObject({ secretType: "pypi_api_token", secret: token, publiclyLeaked: true });
    const sha = git(join(dir, "site.wiki.git"), "rev-parse", "HEAD").trim();
    expect(alert.firstLocation).toMatchObject({
      type: "wiki_commit",
      details: {
        path: "Publishing.md",
        start_line: 5,
        commit_sha: sha,
        page_url: `https://forge.test/acme/site/wiki/Publishing/${sha}`,
        commit_url: `https://forge.test/acme/site/wiki/_compare/${sha}`,
      },
    });
    expect((await opened.store.listScans(repo.id, 5)).find((s) => s.type === "wiki")).toMatchObject({
      status: "completed",
    });
  });
});
