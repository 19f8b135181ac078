import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openStore, type OpenedStore } from "../store/index.js";
import { createServer, type VigilServer } from "./create-server.js";
import { updateMirror } from "./repository-mirror.js";
import { scanRepositoryHistory } from "./scan-repository-history.js";

/**
 * Issue 10, items 1-3: what an organization owner (or a site administrator) can make the server do
 * with the names and the mirror source of `POST /orgs/{org}/repos`.
 */
let root: string;
let dataDir: string;
let opened: OpenedStore;
let server: VigilServer;
const tokens: Record<string, string> = {};

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), "vigil-hardening-"));
  dataDir = join(root, "data");
  opened = await openStore({ dataDir, env: { VIGIL_SECRET_KEY: Buffer.alloc(32, 9).toString("base64") } });
  const { store } = opened;
  const make = async (login: string, siteAdmin = false): Promise<void> => {
    const user = await store.createUser({ login, siteAdmin });
    tokens[login] = (await store.createToken({ userId: user.id, scopes: ["repo", "security_events"] })).token;
  };
  await make("admin", true);
  await make("olga");
  const evil = await store.ensureOrganization("evil");
  await store.setOrgRole(evil.id, (await store.getUserByLogin("olga"))!.id, "owner");
  server = createServer({
    store,
    pushProtection: opened.pushProtection,
    storeEnv: {},
    dataDir,
    scanHistory: scanRepositoryHistory,
    log: pino({ level: "silent" }),
  });
  // The victim's repository, hosted by Vigil in the data directory.
  const victim = await server.repositories.register({ owner: "victim", name: "secrets", sourceUrl: null });
  execFileSync("git", ["init", "--bare", "-q", victim.mirrorPath]);
});

afterAll(async () => {
  await server.close();
  await opened.close();
  rmSync(root, { recursive: true, force: true });
});

function post(path: string, token: string, body: unknown): Promise<Response> {
  return Promise.resolve(
    server.app.request(`http://vigil.test/api/v3${path}`, {
      method: "POST",
      headers: { authorization: `token ${token}`, "content-type": "application/json" },
      body: JSON.stringify(body),
    }),
  );
}

describe("mirror sources over the API (cross-tenant read)", () => {
  const local = () => [
    join(dataDir, "repos", "victim", "secrets.git"),
    `file://${join(dataDir, "repos", "victim", "secrets.git")}`,
    "../victim/secrets.git",
    "repos/victim/secrets.git",
    dataDir,
    "/",
    "ext::sh -c true",
  ];

  it("an organization owner cannot mirror a local path, a file:// URL or anything in the data directory", async () => {
    for (const [i, source] of local().entries()) {
      const res = await post("/orgs/evil/repos", tokens.olga!, { name: `steal-${i}`, source_url: source });
      expect(res.status, source).toBe(422);
      const body = (await res.json()) as { message: string; errors: { field: string }[] };
      expect(body.message).toMatch(/source_url (must be a remote git URL|must not contain whitespace)/);
      expect(body.errors[0]?.field).toBe("source_url");
      expect(await opened.store.getRepository("evil", `steal-${i}`)).toBeNull();
    }
  });

  it("refuses a source that git would take as an option", async () => {
    const res = await post("/orgs/evil/repos", tokens.olga!, {
      name: "opt",
      source_url: "--upload-pack=touch /tmp/vigil-pwned",
    });
    expect(res.status).toBe(422);
    expect(await opened.store.getRepository("evil", "opt")).toBeNull();
  });

  it("takes https and ssh URLs; http only with --allow-http-mirrors", async () => {
    expect(
      (await post("/orgs/evil/repos", tokens.olga!, { name: "remote", source_url: "https://127.0.0.1:1/acme/app.git" }))
        .status,
    ).toBe(201);
    expect(
      (await post("/orgs/evil/repos", tokens.olga!, { name: "scp", source_url: "git@127.0.0.1:acme/app.git" })).status,
    ).toBe(201);
    const http = await post("/orgs/evil/repos", tokens.olga!, {
      name: "plain",
      source_url: "http://127.0.0.1:1/acme/app.git",
    });
    expect(http.status).toBe(422);
    expect(((await http.json()) as { message: string }).message).toContain("--allow-http-mirrors");
    const permissive = createServer({
      store: opened.store,
      pushProtection: opened.pushProtection,
      storeEnv: {},
      dataDir,
      scanHistory: scanRepositoryHistory,
      log: pino({ level: "silent" }),
      allowHttpMirrors: true,
    });
    try {
      const res = await permissive.app.request("http://vigil.test/api/v3/orgs/evil/repos", {
        method: "POST",
        headers: { authorization: `token ${tokens.olga!}`, "content-type": "application/json" },
        body: JSON.stringify({ name: "plain", source_url: "http://127.0.0.1:1/acme/app.git" }),
      });
      expect(res.status).toBe(201);
    } finally {
      await permissive.close();
    }
  });
});

describe("organization names (path traversal)", () => {
  const hostile = [
    "..%2F..%2F..%2Fescaped",
    "..",
    "%2E%2E",
    "a%2Fb",
    "ev%00il",
    "evil%0A",
    "%09evil",
    "-evil",
    "evil-",
    "ev--il",
    "e%5Cvil",
    "x".repeat(40),
    "%C3%A9vil",
  ];

  it.each(hostile)("a site administrator's POST /orgs/%s/repos is refused and creates nothing", async (org) => {
    const before = readdirSync(root).sort();
    const res = await post(`/orgs/${org}/repos`, tokens.admin!, { name: "app" });
    // ".." is resolved by the URL itself (/api/v3/repos: no such route) and a NUL names nothing (404);
    // every other name reaches the login check.
    if (org === ".." || org === "%2E%2E" || org.includes("%00")) expect(res.status).toBe(404);
    else {
      expect(res.status).toBe(422);
      expect(((await res.json()) as { message: string }).message).toMatch(/organization login is invalid/);
    }
    expect(readdirSync(root).sort()).toEqual(before);
    expect(existsSync(join(root, "escaped"))).toBe(false);
    expect((await opened.store.listOrganizations()).map((o) => o.login)).not.toContain(decodeURIComponent(org));
  });

  it("the store itself refuses such a login or repository name, whoever asks", async () => {
    await expect(opened.store.ensureOrganization("../escaped")).rejects.toThrow(/invalid organization login/);
    await expect(opened.store.ensureOrganization("ev\u0000il")).rejects.toThrow(/invalid organization login/);
    await expect(
      opened.store.createRepository({ owner: "evil", name: "..", sourceUrl: null, mirrorPath: join(root, "x.git") }),
    ).rejects.toThrow(/invalid repository name/);
    await expect(opened.store.createUser({ login: "bad\nlogin" })).rejects.toThrow(/invalid user login/);
  });

  it("a valid new organization is created with its repository, inside the data directory", async () => {
    const res = await post("/orgs/new-org/repos", tokens.admin!, { name: "app" });
    expect(res.status).toBe(201);
    const repo = (await opened.store.getRepository("new-org", "app"))!;
    expect(repo.mirrorPath).toBe(join(dataDir, "repos", "new-org", "app.git"));
  });
});

describe("git options in mirror sources", () => {
  it("a source beginning with - reaches git as a repository, never as an option", async () => {
    const marker = join(root, "pwned");
    const mirror = join(root, "option-mirror.git");
    for (const source of [`--upload-pack=touch ${marker}`, `--template=${root}`, "-v"]) {
      // git looked for a repository of that name: the source was an argument, not an option.
      await expect(updateMirror(source, mirror)).rejects.toThrow(
        `git clone failed: fatal: repository '${source}' does not exist`,
      );
      expect(existsSync(marker)).toBe(false);
      expect(existsSync(mirror)).toBe(false);
    }
  });
});

describe("repositories stored outside the data directory (rows written before names were checked)", () => {
  it("get no hook, are not served over git and are not scanned", async () => {
    const { store } = opened;
    const escaped = join(root, "escaped", "app.git");
    execFileSync("git", ["init", "--bare", "-q", escaped]);
    const repo = await store.createRepository({ owner: "evil", name: "escaped", sourceUrl: null, mirrorPath: escaped });
    const other = createServer({
      store,
      pushProtection: opened.pushProtection,
      storeEnv: {},
      dataDir,
      scanHistory: scanRepositoryHistory,
      log: pino({ level: "silent" }),
    });
    try {
      await other.listen(0);
      const res = await other.app.request("http://vigil.test/evil/escaped.git/info/refs?service=git-upload-pack", {
        headers: { authorization: `Basic ${Buffer.from(`admin:${tokens.admin!}`).toString("base64")}` },
      });
      expect(res.status).toBe(404);
      await other.repositories.scheduleScan(repo, "backfill");
      const deadline = Date.now() + 10_000;
      let scans = await store.listScans(repo.id, 5);
      while (!scans.some((s) => s.status === "failed") && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 50));
        scans = await store.listScans(repo.id, 5);
      }
      expect(scans.find((s) => s.status === "failed")?.error).toMatch(/outside .*repos; it is not scanned/);
      expect(existsSync(join(escaped, "hooks", "pre-receive"))).toBe(false);
    } finally {
      await other.close();
    }
  });
});
