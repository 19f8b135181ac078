import { execFileSync, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { ExampleRandom } from "vigil-secrets-engine";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openStore, type OpenedStore } from "../../store/index.js";
import { detection } from "../../test-support/api-fixture.js";
import { CLI, runCli } from "../../test-support/run-cli.js";

const random = new ExampleRandom(0x7e90);
let dataDir: string;
const env = { VIGIL_SECRET_KEY: randomBytes(32).toString("base64") };
const cli = (...args: string[]) => runCli([...args, "--data-dir", dataDir], { env });

beforeEach(() => {
  dataDir = mkdtempSync(join(tmpdir(), "vigil-repo-cli-"));
});
afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

async function withStore<T>(work: (opened: OpenedStore) => Promise<T>): Promise<T> {
  const opened = await openStore({ dataDir, env });
  try {
    return await work(opened);
  } finally {
    await opened.close();
  }
}

describe("vigil repo remove", () => {
  it("removes the repository with its alerts and scans, and its git directory; other repositories stay", async () => {
    for (const name of ["acme/app", "acme/keep"]) expect(cli("repo", "add", name).status).toBe(0);
    const gitDirs = await withStore(async ({ store }) => {
      const dirs: string[] = [];
      for (const name of ["app", "keep"]) {
        const repo = (await store.getRepository("acme", name))!;
        mkdirSync(dirname(repo.mirrorPath), { recursive: true });
        execFileSync("git", ["init", "-q", "--bare", repo.mirrorPath]);
        await store.recordDetections(repo.id, [
          detection(
            "github_personal_access_token",
            "GitHub Personal Access Token",
            "GitHub",
            random.githubToken("ghp"),
            "a.env",
            1,
          ),
        ]);
        dirs.push(repo.mirrorPath);
      }
      return dirs;
    });

    const res = cli("repo", "remove", "acme/app", "--yes");
    expect(res.status, res.stderr).toBe(0);
    expect(res.stderr).toBe(
      `vigil: removed acme/app with its alerts, scans and roles and its git directory ${gitDirs[0]}\n`,
    );
    expect(existsSync(gitDirs[0]!)).toBe(false);
    expect(existsSync(gitDirs[1]!)).toBe(true);
    await withStore(async ({ store }) => {
      expect(await store.getRepository("acme", "app")).toBeNull();
      const keep = (await store.getRepository("acme", "keep"))!;
      expect(await store.getAlert(keep.id, 1)).not.toBeNull();
      expect(await store.getOrganization("acme")).not.toBeNull();
    });
    expect(cli("repo", "list").stdout).toMatch(/^acme\/keep\t\(hosted\)\tpending\n$/);
  });

  it("asks for confirmation: without --yes and without a terminal nothing is removed", async () => {
    expect(cli("repo", "add", "acme/app").status).toBe(0);
    const res = cli("repo", "remove", "acme/app");
    expect(res.status).toBe(2);
    expect(res.stderr).toBe("vigil: not removing acme/app: add --yes to confirm (there is no terminal to ask on)\n");
    await withStore(async ({ store }) => expect(await store.getRepository("acme", "app")).not.toBeNull());
  });

  // util-linux's `script` gives the command a terminal, as a user at a shell has.
  const hasScript = spawnSync("script", ["--version"]).status === 0;
  it.skipIf(!hasScript)("on a terminal, removes only when the repository's name is typed", async () => {
    expect(cli("repo", "add", "acme/app").status).toBe(0);
    const onTerminal = (answer: string) => {
      const command = [process.execPath, CLI, "repo", "remove", "acme/app", "--data-dir", dataDir]
        .map((a) => `'${a}'`)
        .join(" ");
      // The answer is typed a moment later, as a user would.
      return spawnSync("sh", ["-c", `(sleep 1; printf '%s\\n' '${answer}') | script -qec "${command}" /dev/null`], {
        env: { ...process.env, ...env },
        encoding: "utf8",
      });
    };
    const wrong = onTerminal("acme/other");
    expect(wrong.stdout).toContain("Type acme/app to confirm:");
    expect(wrong.stdout).toContain("vigil: not removing acme/app: the answer was not its name");
    await withStore(async ({ store }) => expect(await store.getRepository("acme", "app")).not.toBeNull());
    const right = onTerminal("acme/app");
    expect(right.stdout).toContain("vigil: removed acme/app with its alerts, scans and roles");
    await withStore(async ({ store }) => expect(await store.getRepository("acme", "app")).toBeNull());
  });

  it("names an unknown repository or a malformed name", () => {
    const unknown = cli("repo", "remove", "acme/nope", "--yes");
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toBe("vigil: no repository acme/nope is registered (vigil repo list shows them)\n");
    const malformed = cli("repo", "remove", "nope", "--yes");
    expect(malformed.status).toBe(2);
    expect(malformed.stderr).toMatch(/^vigil: "nope" is not OWNER\/NAME/);
  });
});

describe("vigil repo list", () => {
  it("shows why a mirror failed, and the source without its credentials", async () => {
    const password = random.alnum(20);
    expect(cli("repo", "add", "acme/api", `https://deploy:${password}@git.example/acme/api.git`).status).toBe(0);
    await withStore(async ({ store }) => {
      const repo = (await store.getRepository("acme", "api"))!;
      const [scan] = await store.listScans(repo.id);
      const reason =
        "git clone failed: remote: Repository not found. fatal: repository 'https://git.example/acme/api.git/' not found";
      await store.updateScan(scan!.id, { status: "failed", error: reason });
      await store.updateRepository(repo.id, { mirrorError: reason, mirrorFailedAt: "2026-12-03T09:00:00.000Z" });
    });
    const list = cli("repo", "list");
    expect(list.status, list.stderr).toBe(0);
    expect(list.stdout).toBe(
      "acme/api\thttps://deploy:***@git.example/acme/api.git\tfailed (mirror failed 2026-12-03T09:00:00.000Z: git clone failed: remote: Repository not found. fatal: repository 'https://git.example/acme/api.git/' not found)\n",
    );
    expect(list.stdout).not.toContain(password);
  });
});

describe("--web-url-template", () => {
  it("is stored with repo add, changed or removed with repo edit, and refused when malformed", async () => {
    const template = "https://git.example/{owner}/{repo}/blob/{commit}/{path}#L{line}-L{end_line}";
    expect(cli("repo", "add", "acme/api", "--web-url-template", template).status).toBe(0);
    await withStore(async ({ store }) =>
      expect((await store.getRepository("acme", "api"))!.webUrlTemplate).toBe(template),
    );

    for (const [bad, why] of [
      ["git.example/{owner}", "must be an http(s) URL"],
      ["https://git.example/{owner}/{branch}/{path}", "uses the unknown placeholder {branch}"],
      ["https://git.example/{owner/{path}", "has an unmatched { or }"],
    ] as const) {
      const res = cli("repo", "edit", "acme/api", "--web-url-template", bad);
      expect(res.status, bad).toBe(2);
      expect(res.stderr).toContain(`vigil: --web-url-template ${why}`);
    }
    await withStore(async ({ store }) =>
      expect((await store.getRepository("acme", "api"))!.webUrlTemplate).toBe(template),
    );
    const refusedAdd = cli("repo", "add", "acme/web", "--web-url-template", "ftp://x/{path}");
    expect(refusedAdd.status).toBe(2);
    await withStore(async ({ store }) => expect(await store.getRepository("acme", "web")).toBeNull());

    expect(cli("repo", "edit", "acme/api", "--web-url-template", "none").status).toBe(0);
    await withStore(async ({ store }) => expect((await store.getRepository("acme", "api"))!.webUrlTemplate).toBeNull());
    expect(cli("repo", "edit", "acme/nope", "--web-url-template", "none").status).toBe(2);
  });
});
