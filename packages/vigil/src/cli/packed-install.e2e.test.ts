import { spawn, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ExampleRandom } from "vigil-secrets-engine";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type PrebuiltMirror, startPrebuiltMirror, WORKSPACE_ROOT } from "../test-support/prebuilt-mirror.js";

/**
 * What a user gets from npm: the workspace packages packed with `npm pack`, installed from the
 * tarballs into an empty project outside this checkout, then run from there: scan, hook install,
 * serve. Nothing of the workspace is reachable from the project (it lives in the system temp dir).
 */

interface Packed {
  name: string;
  filename: string;
  files: Array<{ path: string }>;
}

const r = new ExampleRandom(1107);
const token = r.githubToken("ghp");
const root = realpathSync(mkdtempSync(join(tmpdir(), "vigil-packed-")));
const project = join(root, "project");
const bin = join(project, "node_modules", ".bin", "vigil");
let packed: Packed[] = [];
let mirror: PrebuiltMirror | undefined;

/** The tarballs, engine first. */
function tarballs(): string[] {
  return ["vigil-secrets-engine", "vigil-secrets"].map((name) =>
    join(root, packed.find((p) => p.name === name)!.filename),
  );
}

function run(command: string, args: string[], options: { cwd: string; env?: NodeJS.ProcessEnv }) {
  const result = spawnSync(command, args, {
    cwd: options.cwd,
    encoding: "utf8",
    env: {
      ...process.env,
      GIT_CONFIG_NOSYSTEM: "1",
      GIT_CONFIG_GLOBAL: "/dev/null",
      GIT_AUTHOR_NAME: "Test",
      GIT_AUTHOR_EMAIL: "test@example.com",
      GIT_COMMITTER_NAME: "Test",
      GIT_COMMITTER_EMAIL: "test@example.com",
      NO_COLOR: "1",
      CI: "true",
      ...options.env,
    },
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Runs a command without blocking this process (the download mirror below answers from it). */
function runAsync(command: string, args: string[], options: { cwd: string; env: NodeJS.ProcessEnv }): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: { ...process.env, ...options.env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.once("error", reject);
    child.once("exit", (code) =>
      code === 0 ? resolve(output) : reject(new Error(`${command} ${args.join(" ")} exited ${code}:\n${output}`)),
    );
  });
}

function ok(command: string, args: string[], options: { cwd: string; env?: NodeJS.ProcessEnv }): string {
  const result = run(command, args, options);
  if (result.status !== 0)
    throw new Error(`${command} ${args.join(" ")} exited ${result.status}:\n${result.stdout}\n${result.stderr}`);
  return result.stdout;
}

beforeAll(async () => {
  const out = ok(
    "npm",
    ["pack", "-w", "packages/engine", "-w", "packages/vigil", "--pack-destination", root, "--json"],
    {
      cwd: WORKSPACE_ROOT,
    },
  );
  packed = JSON.parse(out) as Packed[];
  mkdirSync(project);
  writeFileSync(join(project, "package.json"), JSON.stringify({ name: "empty-project", private: true }));
  mirror = await startPrebuiltMirror(WORKSPACE_ROOT);
  // --prefer-offline: third-party packages come from npm's cache when it has them, else the registry.
  await runAsync("npm", ["install", "--no-audit", "--no-fund", "--prefer-offline", ...tarballs()], {
    cwd: project,
    env: mirror.env,
  });
  // Both native modules came as prebuilt binaries (nothing compiled here).
  expect(mirror.requests.some((p) => p.startsWith("/uhop/node-re2/"))).toBe(true);
  expect(mirror.requests.some((p) => p.includes("better-sqlite3"))).toBe(true);
}, 240_000);

afterAll(async () => {
  await mirror?.close();
  rmSync(root, { recursive: true, force: true });
});

describe("the packed packages, installed from their tarballs into an empty project", () => {
  it("are vigil-secrets (command vigil) and vigil-secrets-engine, with built code and no sources or test helpers", () => {
    expect(packed.map((p) => p.name).sort()).toEqual(["vigil-secrets", "vigil-secrets-engine"]);
    const cli = packed.find((p) => p.name === "vigil-secrets")!.files.map((f) => f.path);
    expect(cli).toEqual(
      expect.arrayContaining(["bin/vigil.js", "dist/cli/main.js", "dist/scan/scan-worker.js", "package.json"]),
    );
    const engine = packed.find((p) => p.name === "vigil-secrets-engine")!.files.map((f) => f.path);
    expect(engine).toContain("dist/index.js");
    for (const path of [...cli, ...engine]) {
      expect(path).not.toMatch(/^src\/|\.test\.|test-support|\.tsbuildinfo$|\.map$/);
    }
    const manifest = JSON.parse(
      readFileSync(join(project, "node_modules", "vigil-secrets", "package.json"), "utf8"),
    ) as {
      bin: Record<string, string>;
      dependencies: Record<string, string>;
    };
    expect(manifest.bin).toEqual({ vigil: "./bin/vigil.js" });
    expect(Object.keys(manifest.dependencies)).toEqual(
      expect.arrayContaining(["vigil-secrets-engine", "better-sqlite3"]),
    );
  });

  it("runs `npx vigil-secrets` and `vigil --version` from the project", () => {
    const version = (
      JSON.parse(readFileSync(join(WORKSPACE_ROOT, "packages", "vigil", "package.json"), "utf8")) as { version: string }
    ).version;
    expect(ok(bin, ["--version"], { cwd: project }).trim()).toBe(version);
    // --no: use the installed package, never download one. After `--`, --version is vigil's, not npx's.
    expect(ok("npx", ["--no", "vigil-secrets", "--", "--version"], { cwd: project }).trim()).toBe(version);
  });

  it("scans a directory: exit 1 and the masked finding when it holds a secret, exit 0 when clean", () => {
    const dir = join(root, "to-scan");
    mkdirSync(dir);
    writeFileSync(join(dir, "clean.txt"), "nothing to see\n");
    const clean = run("npx", ["--no", "vigil-secrets", "scan", dir], { cwd: project });
    expect(clean.status, clean.stderr).toBe(0);
    writeFileSync(join(dir, "deploy.sh"), `export GITHUB_TOKEN=${token}\n`);
    const found = run(bin, ["scan", ".", "--format", "json"], { cwd: dir });
    expect(found.status, found.stderr).toBe(1);
    const findings = JSON.parse(found.stdout) as Array<{ secret_type: string; path: string }>;
    expect(findings).toEqual([
      expect.objectContaining({ secret_type: "github_personal_access_token", path: "deploy.sh" }),
    ]);
    expect(found.stdout + found.stderr).not.toContain(token);
  });

  it("installs hooks into a git repository that block a commit carrying a secret", () => {
    const repo = join(root, "repo");
    mkdirSync(repo);
    ok("git", ["init", "-q", "-b", "main"], { cwd: repo });
    const install = run(bin, ["hook", "install"], { cwd: repo });
    expect(install.status, install.stderr).toBe(0);
    const hook = readFileSync(join(repo, ".git", "hooks", "pre-commit"), "utf8");
    expect(hook).toContain(`VIGIL_CLI='${join(project, "node_modules", "vigil-secrets", "bin", "vigil.js")}'`);
    writeFileSync(join(repo, "README.md"), "hello\n");
    ok("git", ["add", "README.md"], { cwd: repo });
    expect(run("git", ["commit", "-q", "-m", "clean"], { cwd: repo }).status).toBe(0);
    writeFileSync(join(repo, "config.env"), `GITHUB_TOKEN=${token}\n`);
    ok("git", ["add", "config.env"], { cwd: repo });
    const blocked = run("git", ["commit", "-q", "-m", "leak"], { cwd: repo });
    expect(blocked.status).not.toBe(0);
    expect(blocked.stderr).toContain("commit blocked");
    expect(ok("git", ["rev-list", "--count", "HEAD"], { cwd: repo }).trim()).toBe("1");
  });

  it("serves the API: /api/v3 answers 401 to an anonymous request, and SIGTERM stops the server", async () => {
    const dataDir = join(root, "data");
    const child = spawn(bin, ["serve", "--port", "0", "--data-dir", dataDir], {
      cwd: project,
      env: { ...process.env, VIGIL_LOG_LEVEL: "warn", CI: "true" },
      stdio: ["ignore", "ignore", "pipe"],
    });
    const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let err = "";
        child.stderr.on("data", (chunk: Buffer) => {
          err += chunk.toString();
          const match = /serving (http:\/\/\S+)/.exec(err);
          if (match) resolve(match[1]!);
        });
        void exited.then((code) => reject(new Error(`vigil serve exited with ${code}: ${err}`)));
      });
      const response = await fetch(`${url}/api/v3/user`);
      expect(response.status).toBe(401);
      const anonymous = await fetch(`${url}/api/v3`);
      expect(anonymous.status).toBe(401);
    } finally {
      child.kill("SIGTERM");
    }
    expect(await exited).toBe(0);
  });

  it("install globally in one command (docs/install.md, until published) and put vigil on PATH", async () => {
    const prefix = join(root, "global");
    await runAsync(
      "npm",
      ["install", "-g", "--prefix", prefix, "--no-audit", "--no-fund", "--prefer-offline", ...tarballs()],
      {
        cwd: root,
        env: mirror!.env,
      },
    );
    const dir = join(root, "global-scan");
    mkdirSync(dir);
    writeFileSync(join(dir, "deploy.sh"), `export GITHUB_TOKEN=${token}\n`);
    const found = run("vigil", ["scan", "."], {
      cwd: dir,
      env: { PATH: `${join(prefix, "bin")}:${process.env.PATH}` },
    });
    expect(found.status, found.stderr).toBe(1);
    expect(found.stdout).toContain("github_personal_access_token");
  });
});

/** Debian 12's pre-commit is 3.0.4; .ci/run installs it. */
const preCommit = spawnSync("pre-commit", ["--version"], { encoding: "utf8" });
const hasPreCommit = preCommit.status === 0;
if (!hasPreCommit)
  console.warn("pre-commit is not installed: the pre-commit framework tests are skipped (apt-get install pre-commit)");

describe.skipIf(!hasPreCommit)(`the pre-commit framework (${preCommit.stdout?.trim()})`, () => {
  /** A repository with pre-commit's hook installed and this config, committed clean. */
  function repoWithConfig(name: string, config: string): string {
    const repo = join(root, name);
    mkdirSync(repo);
    ok("git", ["init", "-q", "-b", "main"], { cwd: repo });
    writeFileSync(join(repo, ".pre-commit-config.yaml"), config);
    writeFileSync(join(repo, "README.md"), "hello\n");
    ok("git", ["add", "."], { cwd: repo });
    ok("git", ["commit", "-q", "--no-verify", "-m", "start"], { cwd: repo });
    ok("pre-commit", ["install"], { cwd: repo, env: { PRE_COMMIT_HOME: join(root, "pre-commit-home") } });
    return repo;
  }

  /** `git commit` through pre-commit's hook (async: the first run installs the hook's environment through the mirror). */
  async function commit(repo: string, file: string, content: string, env: NodeJS.ProcessEnv = {}) {
    writeFileSync(join(repo, file), content);
    ok("git", ["add", file], { cwd: repo });
    return new Promise<{ status: number | null; output: string }>((resolve, reject) => {
      const child = spawn("git", ["commit", "-m", `add ${file}`], {
        cwd: repo,
        env: {
          ...process.env,
          GIT_CONFIG_NOSYSTEM: "1",
          GIT_CONFIG_GLOBAL: "/dev/null",
          GIT_AUTHOR_NAME: "Test",
          GIT_AUTHOR_EMAIL: "test@example.com",
          GIT_COMMITTER_NAME: "Test",
          GIT_COMMITTER_EMAIL: "test@example.com",
          PRE_COMMIT_HOME: join(root, "pre-commit-home"),
          NO_COLOR: "1",
          ...mirror!.env,
          ...env,
        },
        stdio: ["ignore", "pipe", "pipe"],
      });
      let output = "";
      child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
      child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
      child.once("error", reject);
      child.once("exit", (status) => resolve({ status, output }));
    });
  }

  it("a local hook with language: node installs the package itself (additional_dependencies) and blocks a secret", async () => {
    const repo = repoWithConfig(
      "pre-commit-node",
      [
        "repos:",
        "  - repo: local",
        "    hooks:",
        "      - id: vigil",
        "        name: vigil (secrets)",
        "        entry: vigil scan --staged --no-progress",
        "        language: node",
        // Published: [vigil-secrets@0.1.0]. Until then, the tarballs (docs/cli.md).
        `        additional_dependencies: [${tarballs().join(", ")}]`,
        "        pass_filenames: false",
        "        always_run: true",
        "",
      ].join("\n"),
    );
    // No vigil on PATH: the hook's own environment has it.
    const path = (process.env.PATH ?? "")
      .split(":")
      .filter((dir) => !dir.includes("node_modules"))
      .join(":");
    const clean = await commit(repo, "notes.txt", "nothing secret\n", { PATH: path });
    expect(clean.status, clean.output).toBe(0);
    const blocked = await commit(repo, "deploy.sh", `export GITHUB_TOKEN=${token}\n`, { PATH: path });
    expect(blocked.status, blocked.output).toBe(1);
    expect(blocked.output).toContain("github_personal_access_token");
    expect(blocked.output).not.toContain(token);
    expect(ok("git", ["rev-list", "--count", "HEAD"], { cwd: repo }).trim()).toBe("2");
  });

  it("this repository's .pre-commit-hooks.yaml (language: system) runs the vigil on PATH and blocks a secret", async () => {
    // The manifest as it is in the work tree, committed to a hook repository of its own.
    const hooks = join(root, "hook-repo");
    mkdirSync(hooks);
    ok("git", ["init", "-q", "-b", "main"], { cwd: hooks });
    writeFileSync(join(hooks, ".pre-commit-hooks.yaml"), readFileSync(join(WORKSPACE_ROOT, ".pre-commit-hooks.yaml")));
    ok("git", ["add", "."], { cwd: hooks });
    ok("git", ["commit", "-q", "-m", "manifest"], { cwd: hooks });
    const rev = ok("git", ["rev-parse", "HEAD"], { cwd: hooks }).trim();
    const repo = repoWithConfig(
      "pre-commit-system",
      `repos:\n  - repo: ${hooks}\n    rev: ${rev}\n    hooks:\n      - id: vigil\n`,
    );
    const path = `${join(project, "node_modules", ".bin")}:${process.env.PATH}`;
    const blocked = await commit(repo, "deploy.sh", `export GITHUB_TOKEN=${token}\n`, { PATH: path });
    expect(blocked.status, blocked.output).toBe(1);
    expect(blocked.output).toContain("github_personal_access_token");
    const clean = await commit(repo, "deploy.sh", "export GITHUB_TOKEN=$FROM_THE_VAULT\n", { PATH: path });
    expect(clean.status, clean.output).toBe(0);
  });
});
