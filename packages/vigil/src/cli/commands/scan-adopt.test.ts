import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ExampleRandom } from "vigil-secrets-engine";
import { describe, expect, it } from "vitest";
import type { FindingRecord } from "../../output/finding-record.js";
import { createTempRepository, testGitEnv } from "../../sources/git/temp-repository.js";
import { runCli } from "../../test-support/run-cli.js";

const r = new ExampleRandom(1111);
const token = (): string => r.githubToken("ghp");
const pemBody = (r.base64(1600).match(/.{1,64}/g) ?? []).join("\n");
const privateKey = `-----BEGIN RSA PRIVATE KEY-----\nMIIEow${pemBody}\n-----END RSA PRIVATE KEY-----\n`;

function project(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), "vigil-adopt-"));
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(join(root, path, ".."), { recursive: true });
    writeFileSync(join(root, path), content);
  }
  return root;
}

function scan(cwd: string, ...args: string[]) {
  return runCli(["scan", ...args], { cwd, env: testGitEnv({ CI: "true", NO_COLOR: "1" }) });
}

function findings(stdout: string): FindingRecord[] {
  return JSON.parse(stdout) as FindingRecord[];
}

describe("baselines", () => {
  it("records today's findings without their secrets; a later scan reports only what is new, exit 0 when nothing is", () => {
    const old = token();
    const dir = project({ "config/app.env": `GITHUB_TOKEN=${old}\n`, "keys/id_rsa": privateKey });
    const baselinePath = join(dir, ".vigil-baseline.json");
    const write = scan(dir, ".", "--baseline-out", baselinePath, "-f", "json");
    expect(write.status).toBe(0);
    expect(findings(write.stdout)).toHaveLength(2);
    expect(write.stderr).toContain(`vigil: baseline written to ${baselinePath}: 2 fingerprints`);
    const text = readFileSync(baselinePath, "utf8");
    expect(text).not.toContain(old);
    expect(text).not.toContain(old.slice(4, 20));
    expect(text).not.toContain(pemBody.slice(10, 40));
    const file = JSON.parse(text) as {
      vigil_baseline: number;
      findings: Array<{ fingerprint: string; path: string; secret_type: string }>;
    };
    expect(file.vigil_baseline).toBe(1);
    expect(file.findings.map((f) => [f.path, f.secret_type])).toEqual([
      ["config/app.env", "github_personal_access_token"],
      ["keys/id_rsa", "rsa_private_key"],
    ]);
    expect(file.findings.map((f) => f.fingerprint).sort()).toEqual(
      findings(write.stdout)
        .map((f) => f.fingerprint)
        .sort(),
    );

    // Nothing new: exit 0, and the summary says what the baseline held back.
    writeFileSync(join(dir, "config/app.env"), `# moved down a line\nGITHUB_TOKEN=${old}\n`);
    const again = scan(dir, ".", "--baseline", baselinePath, "-f", "json");
    expect(again.status).toBe(0);
    expect(findings(again.stdout)).toEqual([]);
    expect(again.stderr).toContain("no secrets found; not reported: 2 in the baseline");

    // A new secret, a rotated one in the same file, and the old one copied elsewhere are all new.
    const rotated = token();
    writeFileSync(join(dir, "config/app.env"), `GITHUB_TOKEN=${rotated}\n`);
    writeFileSync(join(dir, "config/copy.env"), `OLD=${old}\n`);
    const news = scan(dir, ".", "--baseline", baselinePath, "-f", "json");
    expect(news.status).toBe(1);
    expect(findings(news.stdout).map((f) => f.path)).toEqual([join("config", "app.env"), join("config", "copy.env")]);
    expect(news.stderr).toContain("2 secrets found; not reported: 1 in the baseline");
  });

  it("works for git history: a baseline of the history, then new commits", () => {
    const repo = createTempRepository();
    repo.commit("add", { "deploy/prod.env": `T=${token()}\n` });
    const baselinePath = join(repo.dir, "..", `${r.lower(8)}.json`);
    expect(scan(repo.dir, "--baseline-out", baselinePath).status).toBe(0);
    expect(scan(repo.dir, "--baseline", baselinePath).status).toBe(0);
    repo.commit("another", { "deploy/stage.env": `T=${token()}\n` });
    const news = scan(repo.dir, "--baseline", baselinePath, "--full", "-f", "json");
    expect(news.status).toBe(1);
    expect(findings(news.stdout).map((f) => f.path)).toEqual(["deploy/stage.env"]);
    // The pull request's commits, as CI scans them, against the same baseline.
    const range = scan(repo.dir, "--range", "HEAD~1..HEAD", "--baseline", baselinePath, "-f", "json");
    expect(findings(range.stdout).map((f) => f.path)).toEqual(["deploy/stage.env"]);
  });

  it.each([
    ["missing.json", undefined, /--baseline: cannot read missing\.json: ENOENT/],
    ["bad.json", "not json", /bad\.json is not JSON/],
    ["other.json", JSON.stringify({ findings: [] }), /other\.json is not a Vigil baseline/],
    [
      "leaky.json",
      JSON.stringify({ vigil_baseline: 1, findings: [{ fingerprint: "ghp_x" }] }),
      /findings\[0\]\.fingerprint is not a fingerprint/,
    ],
  ])("rejects a bad baseline before scanning, exit 2 (%s)", (name, content, message) => {
    const dir = project({ "a.txt": "hello\n", ...(content !== undefined ? { [name]: content } : {}) });
    const result = scan(dir, ".", "--baseline", name);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.stderr).toMatch(/^vigil: /);
  });

  it("allowlist.fingerprints silences one finding at its place, and the config holds no secret", () => {
    const secret = token();
    const dir = project({ "a.env": `T=${secret}\n`, "b.env": `T=${secret}\n` });
    const first = findings(scan(dir, ".", "-f", "json").stdout);
    const inA = first.find((f) => f.path === "a.env")!;
    writeFileSync(join(dir, "vigil.config.yaml"), `allowlist:\n  fingerprints: ["${inA.fingerprint}"]\n`);
    const result = scan(dir, ".", "-f", "json");
    expect(findings(result.stdout).map((f) => f.path)).toEqual(["b.env"]);
    expect(result.stderr).toContain("not reported: 1 allowlisted by fingerprint");

    writeFileSync(join(dir, "vigil.config.yaml"), `allowlist:\n  fingerprints: ["${secret}"]\n`);
    const bad = scan(dir, ".");
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/allowlist\.fingerprints\.0: is not a fingerprint/);
    expect(bad.stderr).not.toContain(secret);
  });
});

describe("config discovery and checks", () => {
  it("applies the scanned directory's config, not the current directory's, and names it in the summary", () => {
    const outer = project({ "vigil.config.yaml": "patterns:\n  disable: [github_personal_access_token]\n" });
    const inner = join(outer, "inner");
    mkdirSync(inner);
    writeFileSync(join(inner, "a.env"), `T=${token()}\n`);
    writeFileSync(join(inner, "vigil.config.yaml"), "limits:\n  max_file_size: 1MB\n");
    const result = scan(outer, "inner");
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(`; config: ${join("inner", "vigil.config.yaml")}`);
    const none = project({ "a.env": `T=${token()}\n` });
    expect(scan(outer, none).stderr).toContain("; config: none");
    // --config overrides discovery.
    const forced = scan(outer, "inner", "--config", "vigil.config.yaml");
    expect(forced.status).toBe(0);
    expect(forced.stderr).toContain("; config: vigil.config.yaml");
  });

  it("finds the repository's config from a subdirectory, and warns about another path's own config", () => {
    const repo = createTempRepository();
    repo.commit("init", {
      "vigil.config.yaml": "patterns:\n  disable: [github_personal_access_token]\n",
      "src/fixtures/sample.env": `T=${token()}\n`,
      "src/app.js": "x\n",
    });
    const sub = scan(join(repo.dir, "src"), ".", "-f", "json");
    expect(sub.status).toBe(0);
    expect(sub.stderr).toContain(`config: ${join(repo.dir, "vigil.config.yaml")}`);
    const other = project({ "vigil.config.yaml": "limits:\n  scan_binaries: true\n", "b.txt": "b\n" });
    // The repository's globs are relative to its top level, also when a subdirectory is scanned.
    repo.write({
      "vigil.config.yaml": 'allowlist:\n  paths: ["src/fixtures/**"]\n',
      "src/other.env": `T=${token()}\n`,
    });
    const globs = scan(join(repo.dir, "src"), ".", "-f", "json");
    expect(findings(globs.stdout).map((f) => f.path)).toEqual(["other.env"]);
    expect(globs.stderr).toContain("1 allowlisted");
    const both = scan(repo.dir, ".", other, "--no-history");
    expect(both.stderr).toContain(
      `warning: ${other} has its own config, ${join(other, "vigil.config.yaml")}, which this run does not use`,
    );
  });

  it.each([
    ["patterns:\n  disable: [github_pat]\n", /patterns\.disable\[0\]: "github_pat" is not a pattern id/],
    ['allowlist:\n  paths: ["/srv/app/test/**"]\n', /allowlist\.paths\[0\]: "\/srv\/app\/test\/\*\*" is absolute/],
    ["hooks:\n  block: some\n", /hooks\.block/],
  ])("rejects config entries that would silently do nothing, exit 2 (%#)", (text, message) => {
    const dir = project({ "vigil.config.yaml": text, "a.txt": "a\n" });
    const result = scan(dir, ".");
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(message);
  });

  it("accepts a custom pattern's id in patterns.disable", () => {
    const dir = project({
      "vigil.config.yaml":
        'patterns:\n  disable: [acme_key]\n  custom:\n    - name: Acme key\n      pattern: "acme_[a-z0-9]{24}"\n',
      "a.env": `K=acme_${r.lowerAlnum(24)}\n`,
    });
    expect(scan(dir, ".").status).toBe(0);
  });

  it("refuses --since and --full outside a repository instead of ignoring them", () => {
    const dir = project({ "a.txt": "a\n" });
    expect(scan(dir, ".", "--since", "HEAD")).toMatchObject({
      status: 2,
      stderr: expect.stringMatching(/^vigil: --since: \. is not a git repository/),
    });
    expect(scan(dir, ".", "--full").status).toBe(2);
    expect(runCli(["scan", "-", "--since", "HEAD"], { cwd: dir, input: "x" }).stderr).toContain(
      "--since: standard input has no git history",
    );
    // With a repository among the paths, they apply to it.
    const repo = createTempRepository();
    repo.commit("one", { "a.txt": "a\n" });
    const mixed = scan(dir, ".", repo.dir, "--full");
    expect(mixed.status, mixed.stderr).toBe(0);
    expect(mixed.stderr).toContain("1 commit,");
    expect(scan(dir, ".", join(dir, ".."), "--full").stderr).toContain("--full: none of the paths is a git repository");
  });
});

describe("what blocks", () => {
  it("--staged and --range fail only on push-protection types by default and report the rest; --block all and hooks.block: all fail on every finding", () => {
    const repo = createTempRepository();
    repo.commit("init", { "README.md": "hi\n" });
    repo.write({ "keys/id_rsa": privateKey });
    repo.git("add", "-A");
    const staged = scan(repo.dir, "--staged", "-f", "json");
    expect(staged.status).toBe(0);
    expect(findings(staged.stdout).map((f) => [f.secret_type, f.push_protection])).toEqual([
      ["rsa_private_key", false],
    ]);
    expect(staged.stderr).toContain(
      "1 secret found, none of a type push protection blocks: reported, not blocking (--block all blocks every type)",
    );
    expect(scan(repo.dir, "--staged", "--block", "all").status).toBe(1);

    repo.write({ "a.env": `T=${token()}\n` });
    repo.git("add", "-A");
    expect(scan(repo.dir, "--staged").status).toBe(1);
    repo.git("rm", "-q", "--cached", "a.env");
    repo.remove("a.env");

    const commit = repo.commit("key");
    expect(scan(repo.dir, "--range", `${commit}~1..${commit}`).status).toBe(0);
    repo.write({ "vigil.config.yaml": "hooks:\n  block: all\n" });
    expect(scan(repo.dir, "--range", `${commit}~1..${commit}`).status).toBe(1);
    expect(scan(repo.dir, "--range", `${commit}~1..${commit}`, "--block", "push-protection").status).toBe(0);
    // A plain scan fails on every finding, as before.
    expect(scan(repo.dir, "--full").status).toBe(1);
    expect(scan(repo.dir, "--block", "most")).toMatchObject({
      status: 2,
      stderr: expect.stringContaining('--block: "most" is not one of push-protection, all'),
    });
  });
});
