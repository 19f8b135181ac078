import { spawn, spawnSync } from "node:child_process";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  realpathSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { homedir } from "node:os";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ExampleRandom } from "vigil-secrets-engine";
import { parse as parseYaml } from "yaml";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../test-support/run-cli.js";
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
  return ["vigil-secrets-engine", "vigil-secrets-partner", "vigil-secrets"].map((name) =>
    join(root, packed.find((p) => p.name === name)!.filename),
  );
}

/** Git with a fixed identity and no user or system config. */
const GIT_ENV = {
  GIT_CONFIG_NOSYSTEM: "1",
  GIT_CONFIG_GLOBAL: "/dev/null",
  GIT_AUTHOR_NAME: "Test",
  GIT_AUTHOR_EMAIL: "test@example.com",
  GIT_COMMITTER_NAME: "Test",
  GIT_COMMITTER_EMAIL: "test@example.com",
  NO_COLOR: "1",
  CI: "true",
};

function run(command: string, args: string[], options: { cwd: string; env?: NodeJS.ProcessEnv }) {
  const result = spawnSync(command, args, {
    cwd: options.cwd,
    encoding: "utf8",
    env: { ...process.env, ...GIT_ENV, ...options.env },
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** `run` without blocking this process: what npx installs fetches the native binaries from the mirror served here. */
function exec(
  command: string,
  args: string[],
  options: { cwd: string; env?: NodeJS.ProcessEnv },
): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: { ...process.env, ...GIT_ENV, ...options.env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.once("error", reject);
    child.once("exit", (status) => resolve({ status, stdout, stderr }));
  });
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
    ["pack", "-w", "packages/engine", "-w", "packages/partner", "-w", "packages/vigil", "--pack-destination", root, "--json"],
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
  // npx installed the tarballs into npm's npx cache (the CI tests): remove those installs.
  const npxDir = join(process.env.npm_config_cache ?? join(homedir(), ".npm"), "_npx");
  for (const entry of existsSync(npxDir) ? readdirSync(npxDir) : []) {
    const manifest = join(npxDir, entry, "package.json");
    if (existsSync(manifest) && readFileSync(manifest, "utf8").includes(root))
      rmSync(join(npxDir, entry), { recursive: true, force: true });
  }
  rmSync(root, { recursive: true, force: true });
});

describe("the packed packages, installed from their tarballs into an empty project", () => {
  it("are vigil-secrets (command vigil), vigil-secrets-engine and vigil-secrets-partner, with built code and no sources or test helpers", () => {
    expect(packed.map((p) => p.name).sort()).toEqual(["vigil-secrets", "vigil-secrets-engine", "vigil-secrets-partner"]);
    const cli = packed.find((p) => p.name === "vigil-secrets")!.files.map((f) => f.path);
    expect(cli).toEqual(
      expect.arrayContaining([
        "bin/vigil.js",
        "dist/cli/main.js",
        "dist/scan/scan-worker.js",
        // The bundle bin/vigil.js runs (scripts/bundle-cli.mjs), with its own scan worker.
        "dist/bundle/main.js",
        "dist/bundle/scan-worker.js",
        "package.json",
      ]),
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
      expect.arrayContaining(["vigil-secrets-engine", "vigil-secrets-partner", "better-sqlite3"]),
    );
  });

  it("runs `npx vigil-secrets` and `vigil --version` from the project", () => {
    const version = (
      JSON.parse(readFileSync(join(WORKSPACE_ROOT, "packages", "vigil", "package.json"), "utf8")) as { version: string }
    ).version;
    expect(ok(bin, ["--version"], { cwd: project }).trim()).toBe(version);
    // The same through the whole CLI (commander), which any other argument takes.
    expect(ok(bin, ["--debug", "--version"], { cwd: project }).trim()).toBe(version);
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

describe.skipIf(!hasPreCommit)(`the pre-commit framework (${preCommit.stdout?.trim()})`, { timeout: 180_000 }, () => {
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

interface ActionStep {
  name: string;
  id?: string;
  if?: string;
  uses?: string;
  with?: Record<string, string>;
  env?: Record<string, string>;
  run?: string;
}

interface Sarif {
  runs: Array<{
    results: Array<{ ruleId: string; locations: Array<{ physicalLocation: { artifactLocation: { uri: string } } }> }>;
  }>;
}

describe(
  "CI: the GitHub Action and the GitLab template, their shell steps run against a shallow clone",
  { timeout: 180_000 },
  () => {
    const tokenOnMain = r.githubToken("ghp");
    const tokenInPr = r.githubToken("ghp");
    const origin = join(root, "origin.git");
    let base = "";
    let leakHead = "";
    let cleanHead = "";

    function git(cwd: string, ...args: string[]): string {
      return ok("git", args, { cwd }).trim();
    }

    function commitFile(dir: string, file: string, content: string): string {
      writeFileSync(join(dir, file), content);
      git(dir, "add", file);
      git(dir, "commit", "-q", "-m", `add ${file}`);
      return git(dir, "rev-parse", "HEAD");
    }

    /** A shallow clone of one branch, as CI runners make them (actions/checkout: depth 1). */
    function shallowClone(branch: string): string {
      const dir = mkdtempSync(join(root, "checkout-"));
      git(root, "clone", "-q", "--depth", "1", "--branch", branch, `file://${origin}`, dir);
      expect(git(dir, "rev-parse", "--is-shallow-repository")).toBe("true");
      return dir;
    }

    beforeAll(() => {
      git(root, "init", "-q", "--bare", "-b", "main", origin);
      // GitHub and GitLab let a client fetch any commit by its id; a local bare repository must be told.
      git(origin, "config", "uploadpack.allowReachableSHA1InWant", "true");
      const author = join(root, "author");
      git(root, "clone", "-q", origin, author);
      commitFile(author, "README.md", "# app\n");
      commitFile(author, "old.env", `GITHUB_TOKEN=${tokenOnMain}\n`); // on main before the pull request: not its finding
      for (let i = 0; i < 3; i++) commitFile(author, `main-${i}.txt`, `main ${i}\n`);
      base = git(author, "rev-parse", "HEAD");
      git(author, "push", "-q", "origin", "main");
      git(author, "checkout", "-q", "-b", "leak");
      commitFile(author, "feature.txt", "a feature\n");
      commitFile(author, "deploy.sh", `export GITHUB_TOKEN=${tokenInPr}\n`);
      leakHead = commitFile(author, "more.txt", "more\n");
      git(author, "push", "-q", "origin", "leak");
      git(author, "checkout", "-q", "-b", "clean", base);
      commitFile(author, "docs.md", "docs\n");
      cleanHead = commitFile(author, "docs2.md", "more docs\n");
      git(author, "push", "-q", "origin", "clean");
      // main moves on after the pull requests branched off: base stays the commit they started from.
      git(author, "checkout", "-q", "main");
      commitFile(author, "later.txt", "later\n");
      git(author, "push", "-q", "origin", "main");
    });

    const action = parseYaml(readFileSync(join(WORKSPACE_ROOT, "action.yml"), "utf8")) as {
      inputs: Record<string, { default?: string }>;
      runs: { using: string; steps: ActionStep[] };
    };

    /** Runs a shell step the way GitHub runs `shell: bash` (bash --noprofile --norc -eo pipefail). */
    async function runStep(
      step: ActionStep,
      cwd: string,
      values: Record<string, string>,
      outputs: Record<string, string>,
    ) {
      const env: Record<string, string> = {};
      for (const [name, expression] of Object.entries(step.env ?? {})) {
        env[name] = String(expression).replace(
          /\$\{\{\s*(inputs\.[\w-]+|steps\.scan\.outputs\.\w+)\s*\}\}/g,
          (_, key: string) => {
            if (key.startsWith("inputs.")) return values[key.slice(7)] ?? action.inputs[key.slice(7)]?.default ?? "";
            return outputs[key.split(".").pop()!] ?? "";
          },
        );
        expect(env[name], `${step.name}: ${name}`).not.toContain("${{");
      }
      // Every GitHub expression goes through env: the script itself is plain shell.
      expect(step.run).not.toContain("${{");
      const script = join(cwd, "..", `step-${Math.random().toString(36).slice(2)}.sh`);
      writeFileSync(script, step.run!);
      const outputFile = `${script}.out`;
      writeFileSync(outputFile, "");
      const result = await exec("bash", ["--noprofile", "--norc", "-eo", "pipefail", script], {
        cwd,
        env: { ...mirror!.env, ...env, GITHUB_OUTPUT: outputFile },
      });
      for (const line of readFileSync(outputFile, "utf8").split("\n")) {
        const eq = line.indexOf("=");
        if (eq > 0) outputs[line.slice(0, eq)] = line.slice(eq + 1);
      }
      return result;
    }

    /** The action's steps in order, with their `if`s as GitHub evaluates them for these outcomes. */
    async function runAction(cwd: string, values: Record<string, string>) {
      const outputs: Record<string, string> = {};
      const [fetch, scan, upload, fail] = action.runs.steps;
      expect(action.runs.using).toBe("composite");
      const fetched = await runStep(fetch!, cwd, values, outputs);
      expect(fetched.status, fetched.stderr).toBe(0);
      const scanned = await runStep(scan!, cwd, values, outputs);
      expect(upload!.uses).toMatch(/^github\/codeql-action\/upload-sarif@v\d+$/);
      expect(upload!.with!.sarif_file).toBe("${{ inputs.sarif-file }}");
      expect(fail!.if).toContain("steps.scan.outputs.findings != '0'");
      const failed =
        scanned.status === 0 && outputs.findings !== "0" ? await runStep(fail!, cwd, values, outputs) : undefined;
      return { fetched, scanned, failed, outputs };
    }

    function sarifResults(file: string) {
      const sarif = JSON.parse(readFileSync(file, "utf8")) as Sarif;
      return sarif.runs.flatMap((run) => run.results);
    }

    it("GitHub Action: a pull request that adds a secret: SARIF with only that secret, annotations, the check fails", async () => {
      const checkout = shallowClone("leak");
      const result = await runAction(checkout, { base, head: leakHead, packages: tarballs().join(" ") });
      expect(result.fetched.stdout).toContain("scanning 3 commits");
      expect(result.scanned.status, result.scanned.stderr).toBe(0);
      expect(result.outputs.findings).toBe("1");
      const results = sarifResults(join(checkout, "vigil.sarif"));
      expect(results.map((x) => [x.ruleId, x.locations[0]!.physicalLocation.artifactLocation.uri])).toEqual([
        ["github_personal_access_token", "deploy.sh"],
      ]);
      expect(result.scanned.stdout).toMatch(/^::error file=deploy\.sh,line=1::/m);
      expect(result.scanned.stdout + result.scanned.stderr).not.toContain(tokenInPr);
      expect(result.failed?.status).toBe(1);
    });

    it("GitHub Action: a clean pull request passes with an empty SARIF report", async () => {
      const checkout = shallowClone("clean");
      const result = await runAction(checkout, { base, head: cleanHead, packages: tarballs().join(" ") });
      expect(result.scanned.status, result.scanned.stderr).toBe(0);
      expect(result.outputs.findings).toBe("0");
      expect(sarifResults(join(checkout, "vigil.sarif"))).toEqual([]);
      expect(result.failed).toBeUndefined();
    });

    it("GitHub Action: a bad argument fails the scan step with exit 2, not a pass", async () => {
      const checkout = shallowClone("clean");
      const result = await runAction(checkout, {
        base,
        head: cleanHead,
        packages: tarballs().join(" "),
        args: "--no-such-flag",
      });
      expect(result.scanned.status).toBe(2);
      expect(result.scanned.stdout).toContain("::error::vigil: the scan failed");
    });

    // --baseline / --baseline-out come with the baseline work (issue 11); until then this case is skipped.
    const hasBaseline = runCli(["scan", "--help"]).stdout.includes("--baseline-out");
    it.skipIf(!hasBaseline)(
      "GitHub Action: with a baseline that lists the secret, the pull request passes",
      async () => {
        const checkout = shallowClone("leak");
        await runAction(checkout, { base, head: leakHead, packages: tarballs().join(" ") });
        const written = run(
          bin,
          ["scan", "--range", `${base}..${leakHead}`, "--baseline-out", ".vigil-baseline.json", "--no-progress"],
          { cwd: checkout },
        );
        expect(written.status, written.stderr).not.toBe(2);
        expect(readFileSync(join(checkout, ".vigil-baseline.json"), "utf8")).not.toContain(tokenInPr);
        const result = await runAction(checkout, {
          base,
          head: leakHead,
          packages: tarballs().join(" "),
          baseline: ".vigil-baseline.json",
        });
        expect(result.scanned.status, result.scanned.stderr).toBe(0);
        expect(result.outputs.findings).toBe("0");
        expect(result.failed).toBeUndefined();
      },
    );

    const gitlab = parseYaml(readFileSync(join(WORKSPACE_ROOT, "ci", "gitlab", "vigil.gitlab-ci.yml"), "utf8")) as {
      variables: Record<string, string>;
      "vigil-secrets": {
        script: string[];
        artifacts: { when: string; paths: string[]; reports: { codequality: string } };
      };
    };

    /** The job's script as GitLab's runner runs it: the lines in one bash -eo pipefail script, variables in the environment. */
    function runGitLabJob(cwd: string, head: string, branch: string) {
      const job = gitlab["vigil-secrets"];
      expect(job.artifacts.when).toBe("always");
      const script = join(cwd, "..", `gitlab-${Math.random().toString(36).slice(2)}.sh`);
      writeFileSync(script, job.script.join("\n"));
      return exec("bash", ["--noprofile", "--norc", "-eo", "pipefail", script], {
        cwd,
        env: {
          ...mirror!.env,
          ...gitlab.variables,
          VIGIL_PACKAGES: tarballs().join(" "),
          CI_PIPELINE_SOURCE: "merge_request_event",
          CI_MERGE_REQUEST_DIFF_BASE_SHA: base,
          CI_MERGE_REQUEST_TARGET_BRANCH_NAME: "main",
          CI_COMMIT_SHA: head,
          CI_COMMIT_REF_NAME: branch,
        },
      });
    }

    it("GitLab template: a merge request that adds a secret fails the job, with the SARIF and Code Quality reports", async () => {
      const checkout = shallowClone("leak");
      const result = await runGitLabJob(checkout, leakHead, "leak");
      expect(result.status, result.stderr).toBe(1);
      expect(result.stdout).toContain("scanning 3 commits");
      expect(sarifResults(join(checkout, gitlab.variables.VIGIL_SARIF!)).map((x) => x.ruleId)).toEqual([
        "github_personal_access_token",
      ]);
      const quality = JSON.parse(
        readFileSync(join(checkout, gitlab["vigil-secrets"].artifacts.reports.codequality), "utf8"),
      ) as Array<{
        check_name: string;
        location: { path: string; lines: { begin: number } };
        fingerprint: string;
      }>;
      expect(quality).toEqual([
        expect.objectContaining({
          check_name: "github_personal_access_token",
          location: { path: "deploy.sh", lines: { begin: 1 } },
        }),
      ]);
      expect(result.stdout + result.stderr + JSON.stringify(quality)).not.toContain(tokenInPr);
    });

    it("GitLab template: a clean merge request passes with an empty Code Quality report", async () => {
      const checkout = shallowClone("clean");
      const result = await runGitLabJob(checkout, cleanHead, "clean");
      expect(result.status, result.stderr).toBe(0);
      expect(JSON.parse(readFileSync(join(checkout, "gl-code-quality-report.json"), "utf8"))).toEqual([]);
    });
  },
);
