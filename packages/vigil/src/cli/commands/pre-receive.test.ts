import { spawnSync } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ExampleRandom } from "vigil-secrets-engine";
import { describe, expect, it } from "vitest";
import { defaultConfig, parseConfig } from "../../config/config.js";
import { checkPush } from "../../push-protection/check-push.js";
import { CLI, runCli } from "../../test-support/run-cli.js";
import { parseTimeout, standalonePolicy } from "./pre-receive.js";

// End to end with the real git binary: a bare repository whose pre-receive hook runs the built
// CLI, a clone, and real pushes. Secrets are synthesised here, never committed.

const random = new ExampleRandom(60_013);
const tokens = Array.from({ length: 8 }, () => random.githubToken("ghp"));
const token = tokens[0]!;

/** The environment of every git command (and so of the hook): a fixed identity, no user or system config, no Vigil server. */
function gitEnvironment(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    GIT_CONFIG_NOSYSTEM: "1",
    GIT_CONFIG_GLOBAL: "/dev/null",
    GIT_AUTHOR_NAME: "Test",
    GIT_AUTHOR_EMAIL: "test@example.com",
    GIT_COMMITTER_NAME: "Test",
    GIT_COMMITTER_EMAIL: "test@example.com",
    NO_COLOR: "1",
    CI: "true",
    ...extra,
  };
  for (const name of [
    "VIGIL_REPOSITORY",
    "VIGIL_PUSH_TIMEOUT",
    "VIGIL_DATABASE_URL",
    "VIGIL_DATA_DIR",
    "GIT_DIR",
    "GIT_WORK_TREE",
  ]) {
    if (!(name in extra)) delete env[name];
  }
  return env;
}

interface GitResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

function git(cwd: string, args: string[], extraEnv: NodeJS.ProcessEnv = {}): GitResult {
  const result = spawnSync("git", args, { cwd, encoding: "utf8", env: gitEnvironment(extraEnv) });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

function gitOk(cwd: string, ...args: string[]): string {
  const result = git(cwd, args);
  if (result.status !== 0) throw new Error(`git ${args.join(" ")} failed: ${result.stderr}`);
  return result.stdout.trim();
}

/** `hooks/pre-receive` that runs this build of the CLI with `args`. */
function installHook(bare: string, args: string[] = []): void {
  const path = join(bare, "hooks", "pre-receive");
  const extra = args.map((a) => ` '${a}'`).join("");
  writeFileSync(path, `#!/bin/sh\nexec "${process.execPath}" "${CLI}" pre-receive${extra}\n`);
  chmodSync(path, 0o755);
}

/** A bare repository (the server) and a clone with one clean commit on `main`, pushed before the hook exists. */
function setup(options: { hook?: boolean; hookArgs?: string[] } = {}): { bare: string; clone: string } {
  const root = mkdtempSync(join(tmpdir(), "vigil-pre-receive-"));
  const bare = join(root, "server.git");
  const clone = join(root, "clone");
  gitOk(root, "init", "-q", "--bare", "-b", "main", bare);
  gitOk(root, "init", "-q", "-b", "main", clone);
  gitOk(clone, "remote", "add", "origin", bare);
  commit(clone, { "README.md": "# app\n" }, "Initial commit");
  gitOk(clone, "push", "-q", "origin", "main");
  if (options.hook !== false) installHook(bare, options.hookArgs);
  return { bare, clone };
}

/** Writes files and commits them; returns the commit id. */
function commit(clone: string, files: Record<string, string>, message: string): string {
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(join(clone, path, ".."), { recursive: true });
    writeFileSync(join(clone, path), content);
  }
  gitOk(clone, "add", "-A");
  gitOk(clone, "commit", "-q", "-m", message);
  return gitOk(clone, "rev-parse", "HEAD");
}

function push(clone: string, args: string[], env: NodeJS.ProcessEnv = {}): GitResult {
  return git(clone, ["push", "origin", ...args], env);
}

/** The commit a ref of the server points at, or undefined when it has no such ref. */
function remoteRef(bare: string, ref: string): string | undefined {
  const result = git(bare, ["rev-parse", "--verify", "-q", ref]);
  return result.status === 0 ? result.stdout.trim() : undefined;
}

function hasObject(bare: string, oid: string): boolean {
  return git(bare, ["cat-file", "-e", oid]).status === 0;
}

/** A source file whose line 3 holds the secret. */
const configSource = (secret: string, suffix = ""): string =>
  `// API client\nimport { Octokit } from "@octokit/rest";\nconst auth = "${secret}";${suffix}\nexport const client = new Octokit({ auth });\n`;

describe("vigil pre-receive (standalone, real git push)", () => {
  it("passes a clean push, and rejects one that adds a secret with GitHub's GH013 message, leaving the remote unchanged", () => {
    const { bare, clone } = setup();
    const clean = commit(clone, { "src/app.ts": "export const answer = 42;\n" }, "Add app");
    const passed = push(clone, ["main"]);
    expect(passed.status, passed.stderr).toBe(0);
    expect(remoteRef(bare, "refs/heads/main")).toBe(clean);

    const leaky = commit(clone, { "src/api/github.ts": configSource(token) }, "Add GitHub client");
    commit(clone, { "src/app.ts": "export const answer = 43;\n" }, "Change the answer");
    const rejected = push(clone, ["main"]);
    expect(rejected.status).not.toBe(0);
    const err = rejected.stderr;
    expect(err).toContain("remote: error: GH013: Repository rule violations found for refs/heads/main.");
    expect(err).toContain("remote: - VIGIL PUSH PROTECTION");
    expect(err).toContain("- Push cannot contain secrets");
    expect(err).toContain("—— GitHub Personal Access Token ——");
    expect(err).toContain(`- commit: ${leaky}`);
    expect(err).toContain("path: src/api/github.ts:3");
    expect(err).toContain("docs/push-protection.md#resolving-a-blocked-push");
    expect(err).toContain("vigil:allow");
    expect(err).toMatch(/! \[remote rejected\] main -> main \(pre-receive hook declined\)/);
    expect(err.match(/—— GitHub Personal Access Token/g)).toHaveLength(1);
    // Never the secret itself.
    expect(err).not.toContain(token);
    // The remote is unchanged: the ref did not move and the pushed objects were discarded with the quarantine.
    expect(remoteRef(bare, "refs/heads/main")).toBe(clean);
    expect(hasObject(bare, leaky)).toBe(false);
  });

  it("rejects a new branch that carries a secret, naming that branch", () => {
    const { bare, clone } = setup();
    gitOk(clone, "switch", "-q", "-c", "feature");
    const leaky = commit(
      clone,
      { "deploy/env.sh": `#!/bin/sh\n# deploy settings\nexport GITHUB_TOKEN=${token}\n` },
      "Deploy settings",
    );
    const rejected = push(clone, ["feature"]);
    expect(rejected.status).not.toBe(0);
    expect(rejected.stderr).toContain("GH013: Repository rule violations found for refs/heads/feature.");
    expect(rejected.stderr).toContain(`- commit: ${leaky}`);
    expect(rejected.stderr).toContain("path: deploy/env.sh:3");
    expect(remoteRef(bare, "refs/heads/feature")).toBeUndefined();
  });

  it("rejects a force push that rewrites history with a secret, and passes a clean force push", () => {
    const { bare, clone } = setup();
    const base = gitOk(clone, "rev-parse", "HEAD");
    const pushed = commit(clone, { "src/app.ts": "export const answer = 42;\n" }, "Add app");
    expect(push(clone, ["main"]).status).toBe(0);

    gitOk(clone, "reset", "-q", "--hard", base);
    const leaky = commit(
      clone,
      { "src/app.ts": `export const answer = 42;\nexport const token = "${token}";\n` },
      "Add app (rewritten)",
    );
    const rejected = push(clone, ["--force", "main"]);
    expect(rejected.status).not.toBe(0);
    expect(rejected.stderr).toContain(`- commit: ${leaky}`);
    expect(rejected.stderr).toContain("path: src/app.ts:2");
    expect(remoteRef(bare, "refs/heads/main")).toBe(pushed);

    gitOk(clone, "reset", "-q", "--hard", base);
    const rewritten = commit(clone, { "src/app.ts": "export const answer = 41;\n" }, "Add app (clean rewrite)");
    const forced = push(clone, ["--force", "main"]);
    expect(forced.status, forced.stderr).toBe(0);
    expect(remoteRef(bare, "refs/heads/main")).toBe(rewritten);
  });

  it("passes a ref deletion without scanning anything, even when the branch holds a secret", () => {
    const { bare, clone } = setup({ hook: false });
    gitOk(clone, "switch", "-q", "-c", "leaky");
    commit(clone, { "secrets.env": `GITHUB_TOKEN=${token}\n` }, "Oops");
    expect(push(clone, ["leaky"]).status).toBe(0);
    gitOk(clone, "switch", "-q", "main");
    installHook(bare);
    // A config the hook cannot read: any push that scans fails on it, so a deletion that passes read nothing.
    writeFileSync(join(bare, "vigil.config.yaml"), "patterns: [not, a, mapping\n");
    const update = commit(clone, { "src/app.ts": "export const answer = 42;\n" }, "Add app");
    const scanned = push(clone, ["main"]);
    expect(scanned.status).not.toBe(0);
    expect(scanned.stderr).toContain("vigil.config.yaml");
    expect(remoteRef(bare, "refs/heads/main")).not.toBe(update);

    const deleted = push(clone, ["--delete", "leaky"]);
    expect(deleted.status, deleted.stderr).toBe(0);
    expect(deleted.stderr).not.toContain("GH013");
    expect(remoteRef(bare, "refs/heads/leaky")).toBeUndefined();
  });

  it("does not block a later push for a secret that is only in history the server already has", () => {
    const { bare, clone } = setup({ hook: false });
    commit(clone, { "old/settings.env": `GITHUB_TOKEN=${token}\n` }, "Settings from before Vigil");
    expect(push(clone, ["main"]).status).toBe(0);
    installHook(bare);

    const later = commit(clone, { "src/app.ts": "export const answer = 42;\n" }, "Unrelated change");
    const passed = push(clone, ["main"]);
    expect(passed.status, passed.stderr).toBe(0);
    expect(remoteRef(bare, "refs/heads/main")).toBe(later);
    // A new branch at a commit the server has adds no objects: nothing to scan, nothing blocks.
    const branch = push(clone, ["main:refs/heads/release"]);
    expect(branch.status, branch.stderr).toBe(0);
    expect(remoteRef(bare, "refs/heads/release")).toBe(later);
  });

  it("does not block on a low-confidence generic finding (a password assignment) that vigil scan reports", () => {
    const { bare, clone } = setup();
    const r = new ExampleRandom(77);
    const content = `import { connect } from "./db.js";\nconst conn = connect(host, password="${r.alnum(6)}9${r.alnum(6)}");\n`;
    const added = commit(clone, { "src/db.ts": content }, "Connect to the database");
    const scan = runCli(["scan", "src/db.ts", "--format", "json", "--no-progress"], { cwd: clone });
    expect(scan.status).toBe(1);
    const findings = JSON.parse(scan.stdout) as Array<{ secret_type: string }>;
    expect(findings.map((f) => f.secret_type)).toContain("generic_password");

    const passed = push(clone, ["main"]);
    expect(passed.status, passed.stderr).toBe(0);
    expect(remoteRef(bare, "refs/heads/main")).toBe(added);
  });

  it("shows the first 5 of more secrets and counts the rest", () => {
    const { clone } = setup();
    const files = Object.fromEntries(
      tokens.slice(0, 7).map((t, i) => [`config/service-${i}.env`, `# service ${i}\nGITHUB_TOKEN=${t}\n`]),
    );
    commit(clone, files, "Add service settings");
    const rejected = push(clone, ["main"]);
    expect(rejected.status).not.toBe(0);
    expect(rejected.stderr.match(/—— GitHub Personal Access Token/g)).toHaveLength(5);
    expect(rejected.stderr).toContain("… and 2 more secrets not shown");
    for (const t of tokens) expect(rejected.stderr).not.toContain(t);
  });

  it("lets a secret marked with an inline vigil:allow pass", () => {
    const { bare, clone } = setup();
    const added = commit(
      clone,
      { "test/fixtures/client.ts": configSource(token, " // vigil:allow test fixture") },
      "Add a fixture",
    );
    const passed = push(clone, ["main"]);
    expect(passed.status, passed.stderr).toBe(0);
    expect(remoteRef(bare, "refs/heads/main")).toBe(added);
  });

  it("blocks only patterns with push protection: a custom pattern in the git dir's vigil.config.yaml blocks when it has push_protection", () => {
    const { bare, clone } = setup();
    const id = `ACME-${new ExampleRandom(5).upperAlnum(20)}`;
    const config = (pp: boolean) =>
      `patterns:\n  custom:\n    - name: acme_internal_key\n      pattern: "ACME-[A-Z0-9]{20}"\n      push_protection: ${pp}\n`;
    writeFileSync(join(bare, "vigil.config.yaml"), config(false));
    const added = commit(clone, { "ops/keys.txt": `internal key: ${id}\n` }, "Add internal key");
    const passed = push(clone, ["main"]);
    expect(passed.status, passed.stderr).toBe(0);
    expect(remoteRef(bare, "refs/heads/main")).toBe(added);

    writeFileSync(join(bare, "vigil.config.yaml"), config(true));
    commit(clone, { "ops/more-keys.txt": `another: ${id}\n` }, "Add another copy");
    const rejected = push(clone, ["main"]);
    expect(rejected.status).not.toBe(0);
    expect(rejected.stderr).toContain("path: ops/more-keys.txt:1");
    expect(rejected.stderr).not.toContain(id);
    expect(remoteRef(bare, "refs/heads/main")).toBe(added);
  });

  it("leaves out the config's allowlisted paths", () => {
    const { bare, clone } = setup();
    writeFileSync(join(bare, "vigil.config.yaml"), `allowlist:\n  paths:\n    - "test/fixtures/**"\n`);
    const added = commit(clone, { "test/fixtures/deep/settings.env": `GITHUB_TOKEN=${token}\n` }, "Add a fixture");
    const passed = push(clone, ["main"]);
    expect(passed.status, passed.stderr).toBe(0);
    expect(remoteRef(bare, "refs/heads/main")).toBe(added);

    commit(clone, { "settings.env": `GITHUB_TOKEN=${tokens[1]}\n` }, "Add settings");
    const rejected = push(clone, ["main"]);
    expect(rejected.status).not.toBe(0);
    expect(rejected.stderr).toContain("path: settings.env:1");
  });

  it("scans every ref of a push: a secret on one branch rejects the whole push", () => {
    const { bare, clone } = setup();
    const before = remoteRef(bare, "refs/heads/main");
    commit(clone, { "src/app.ts": "export const answer = 42;\n" }, "Add app");
    gitOk(clone, "switch", "-q", "-c", "topic");
    const leaky = commit(clone, { "topic/settings.env": `GITHUB_TOKEN=${token}\n` }, "Topic settings");
    const rejected = push(clone, ["main", "topic"]);
    expect(rejected.status).not.toBe(0);
    expect(rejected.stderr).toContain(`- commit: ${leaky}`);
    // The message names the ref that carries the secret, not the first one pushed.
    expect(rejected.stderr).toContain("GH013: Repository rule violations found for refs/heads/topic.");
    expect(remoteRef(bare, "refs/heads/main")).toBe(before);
    expect(remoteRef(bare, "refs/heads/topic")).toBeUndefined();
  });

  it("on timeout rejects with --fail-closed, and allows (with a warning) without it", () => {
    const { bare, clone } = setup({ hookArgs: ["--timeout", "0.001", "--fail-closed"] });
    const before = remoteRef(bare, "refs/heads/main");
    commit(clone, { "src/api/github.ts": configSource(token) }, "Add GitHub client");
    const rejected = push(clone, ["main"]);
    expect(rejected.status).not.toBe(0);
    expect(rejected.stderr).toContain("could not finish scanning refs/heads/main in time");
    expect(rejected.stderr).toContain("fail-closed");
    expect(remoteRef(bare, "refs/heads/main")).toBe(before);

    // The budget from the environment, fail-open: the push goes through, as on GitHub.
    installHook(bare);
    const allowed = push(clone, ["main"], { VIGIL_PUSH_TIMEOUT: "0.001" });
    expect(allowed.status, allowed.stderr).toBe(0);
    expect(allowed.stderr).toContain(
      "ran out of time scanning refs/heads/main; the push is allowed without a complete scan",
    );
    expect(allowed.stderr).toContain("vigil scan");
    expect(remoteRef(bare, "refs/heads/main")).toBe(gitOk(clone, "rev-parse", "HEAD"));
  });

  it("refuses a --timeout that is not a positive number of seconds", () => {
    const result = runCli(["pre-receive", "--timeout", "soon"], { input: "" });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain("--timeout");
  });
});

describe("checkPush", () => {
  it("reports the secrets a push adds, and a timeout when the budget runs out first", async () => {
    const { bare, clone } = setup({ hook: false });
    const oldSha = gitOk(clone, "rev-parse", "HEAD");
    const files = Object.fromEntries(
      Array.from({ length: 200 }, (_, i) => [`src/module-${i}.ts`, `export const value${i} = ${i};\n`.repeat(50)]),
    );
    files["src/secret.ts"] = `export const token = "${token}";\n`;
    const newSha = commit(clone, files, "Many files");
    // Put the objects in the server without moving its ref: what a pre-receive hook sees.
    gitOk(clone, "push", "-q", "origin", "main:refs/incoming/main");
    gitOk(bare, "update-ref", "-d", "refs/incoming/main");
    const updates = [{ oldSha, newSha, ref: "refs/heads/main" }];
    const settings = {
      disabled: [],
      generic: false,
      custom: [],
      allowValues: [],
      allowRegexes: [],
      pushProtectionOnly: true,
    };
    const limits = { maxFileSize: 1024 * 1024, scanBinaries: false };
    const env = gitEnvironment();

    const full = await checkPush({ gitDir: bare, updates, settings, limits, timeoutMs: 60_000, env });
    expect(full.timedOut).toBe(false);
    expect(full.findings.map((f) => [f.finding.secretType, f.location.path])).toEqual([
      ["github_personal_access_token", "src/secret.ts"],
    ]);

    const cut = await checkPush({ gitDir: bare, updates, settings, limits, timeoutMs: 1, env });
    expect(cut.timedOut).toBe(true);

    const none = await checkPush({
      gitDir: bare,
      updates: [{ oldSha: newSha, newSha: "0".repeat(40), ref: "refs/heads/main" }],
      settings,
      limits,
      timeoutMs: 1,
      env,
    });
    expect(none).toMatchObject({ findings: [], timedOut: false });
  });
});

describe("standalonePolicy", () => {
  it("without a config file is what the default config gives", async () => {
    expect(await standalonePolicy(undefined)).toEqual(await standalonePolicy(defaultConfig()));
  });

  it("takes the config's patterns, allowlist and size limit, and push-protection patterns only", async () => {
    const config = parseConfig(
      `patterns:\n  disable: [slack_api_token]\nallowlist:\n  paths: ["fixtures/**"]\nlimits:\n  max_file_size: 1MB\n`,
      "vigil.config.yaml",
    );
    const policy = await standalonePolicy(config);
    expect(policy.settings).toMatchObject({ disabled: ["slack_api_token"], pushProtectionOnly: true });
    expect(policy.limits).toEqual({ maxFileSize: 1024 * 1024, scanBinaries: false });
    expect(policy.skipPath?.("fixtures/a/b.env")).toBe(true);
    expect(policy.skipPath?.("src/b.env")).toBe(false);
  });
});

describe("parseTimeout", () => {
  it("reads seconds, fractions allowed, and refuses what is not a budget", () => {
    expect(parseTimeout("10")).toBe(10_000);
    expect(parseTimeout("0.25")).toBe(250);
    for (const bad of ["", "0", "-1", "soon", "3601", "1e9"]) expect(() => parseTimeout(bad)).toThrow(/--timeout/);
  });
});
