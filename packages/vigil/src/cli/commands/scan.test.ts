import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ExampleRandom } from "vigil-secrets-engine";
import { beforeAll, describe, expect, it } from "vitest";
import type { FindingRecord as JsonFinding } from "../../output/finding-record.js";
import { runCli } from "../../test-support/run-cli.js";

const r = new ExampleRandom(2026);
const github = r.githubToken("ghp");
const awsId = `AKIA${r.chars("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", 16)}`;
const awsKey = r.base64(40);
const pemBody = (r.base64(1600).match(/.{1,64}/g) ?? []).join("\n");
const privateKey = `-----BEGIN RSA PRIVATE KEY-----\nMIIEow${pemBody}\n-----END RSA PRIVATE KEY-----\n`;

let dir: string;

function project(files: Record<string, string | Buffer>): string {
  const root = mkdtempSync(join(tmpdir(), "vigil-scan-"));
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(join(root, path, ".."), { recursive: true });
    writeFileSync(join(root, path), content);
  }
  return root;
}

beforeAll(() => {
  dir = project({
    "config/settings.env": `# deploy settings\nAPP=web\nGITHUB_TOKEN=${github}\n`,
    "infra/credentials": `[default]\naws_access_key_id = ${awsId}\naws_secret_access_key = ${awsKey}\n`,
    "keys/deploy_key": privateKey,
    "src/app.js": "export const answer = 42;\n",
  });
});

describe("vigil scan (built CLI)", () => {
  it("finds a GitHub token, an AWS key pair and a private key with type, path and line", () => {
    const result = runCli(["scan", ".", "--format", "json"], { cwd: dir });
    expect(result.status).toBe(1);
    const findings = JSON.parse(result.stdout) as JsonFinding[];
    expect(findings.map((f) => [f.secret_type, f.path, f.start_line])).toEqual([
      ["github_personal_access_token", join("config", "settings.env"), 3],
      ["aws_access_key_id", join("infra", "credentials"), 2],
      ["rsa_private_key", join("keys", "deploy_key"), 1],
    ]);
    expect(findings[0]).toMatchObject({ start_column: 14, end_column: 53, end_line: 3 });
    expect(findings[1]!.paired_secret?.secret_type).toBe("aws_secret_access_key");
    expect(findings[2]!.end_line).toBeGreaterThan(20);
    expect(result.stderr).toMatch(/scanned 4 files .*: 3 secrets found/);
  });

  it("masks secrets unless --show-secrets is given", () => {
    const masked = runCli(["scan", "."], { cwd: dir });
    for (const secret of [github, awsKey, awsId.slice(4)]) expect(masked.stdout + masked.stderr).not.toContain(secret);
    expect(masked.stdout).toContain("GitHub Personal Access Token");
    expect(masked.stdout).toContain(`${join("config", "settings.env")}:3:14`);
    const shown = runCli(["scan", ".", "--show-secrets", "-f", "jsonl"], { cwd: dir });
    expect(shown.stdout).toContain(github);
    expect(shown.stdout).toContain(awsKey);
  });

  it("scans on worker threads with the same result", () => {
    const single = runCli(["scan", ".", "-f", "json", "--threads", "0"], { cwd: dir });
    const pooled = runCli(["scan", ".", "-f", "json", "--threads", "2"], { cwd: dir });
    expect(pooled.status).toBe(1);
    expect(JSON.parse(pooled.stdout)).toEqual(JSON.parse(single.stdout));
  });

  it("exits 0 with no findings and reads standard input for -", () => {
    const clean = runCli(["scan", "src"], { cwd: dir });
    expect(clean.status).toBe(0);
    expect(clean.stderr).toContain("no secrets found");
    const piped = runCli(["scan", "-", "-f", "json"], { cwd: dir, input: `log: token ${github}\n` });
    expect(piped.status).toBe(1);
    expect(JSON.parse(piped.stdout)).toMatchObject([{ secret_type: "github_personal_access_token", path: "-", start_line: 1 }]);
  });

  it("writes CSV and SARIF 2.1.0 to --output", () => {
    const csvPath = join(dir, "..", `${r.lower(8)}.csv`);
    expect(runCli(["scan", ".", "-f", "csv", "-o", csvPath], { cwd: dir }).status).toBe(1);
    const sarif = runCli(["scan", ".", "-f", "sarif"], { cwd: dir });
    const log = JSON.parse(sarif.stdout) as {
      version: string;
      runs: Array<{
        tool: { driver: { name: string; rules: Array<{ id: string }> } };
        results: Array<{ ruleId: string; ruleIndex: number; locations: Array<{ physicalLocation: unknown }> }>;
      }>;
    };
    expect(log.version).toBe("2.1.0");
    const run = log.runs[0]!;
    expect(run.tool.driver.name).toBe("Vigil");
    expect(run.results).toHaveLength(3);
    const first = run.results[0]!;
    expect(run.tool.driver.rules[first.ruleIndex]!.id).toBe(first.ruleId);
    expect(first.locations[0]!.physicalLocation).toEqual({
      artifactLocation: { uri: "config/settings.env" },
      region: { startLine: 3, startColumn: 14, endLine: 3, endColumn: 54 },
    });
    expect(sarif.stdout).not.toContain(github);
  });

  it("respects .gitignore and .vigilignore, and counts skipped binaries and large files", () => {
    const root = project({
      ".gitignore": "ignored.env\n",
      ".vigilignore": "fixtures/\n",
      "ignored.env": `T=${github}\n`,
      "fixtures/sample.env": `T=${github}\n`,
      "image.png": Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0]), Buffer.from(github)]),
      "big.log": `${"x".repeat(2048)}\n${github}`,
    });
    const result = runCli(["scan", ".", "--max-file-size", "1KB"], { cwd: root });
    expect(result.status).toBe(0);
    expect(result.stderr).toMatch(/skipped 1 binary, 1 too large/);
    const all = runCli(["scan", ".", "--no-gitignore", "-f", "json"], { cwd: root });
    expect((JSON.parse(all.stdout) as JsonFinding[]).map((f) => f.path)).toEqual(["big.log", "ignored.env"]);
  });

  it("applies the config file: allowlists, disabled patterns and custom patterns", () => {
    const root = project({
      "vigil.config.yaml": [
        "patterns:",
        "  disable: [rsa_private_key]",
        "  custom:",
        "    - name: Acme internal key",
        '      pattern: "acme_[a-z0-9]{24}"',
        "allowlist:",
        '  paths: ["test/**"]',
        "",
      ].join("\n"),
      "app.env": `ACME=acme_${r.lowerAlnum(24)}\n`,
      "key.pem": privateKey,
      "test/fixture.env": `T=${github}\n`,
    });
    const result = runCli(["scan", ".", "-f", "json"], { cwd: root });
    expect(result.stderr).toContain("1 allowlisted");
    expect((JSON.parse(result.stdout) as JsonFinding[]).map((f) => f.secret_type)).toEqual(["acme_internal_key"]);
  });
});

describe("vigil scan errors", () => {
  it("names a missing path, exit 2", () => {
    const result = runCli(["scan", "does-not-exist"], { cwd: dir });
    expect(result.status).toBe(2);
    expect(result.stderr.trim()).toBe("vigil: path not found: does-not-exist");
  });

  it.each([
    ["patterns:\n  custom:\n    - name: Broken\n      pattern: \"key_[a-z\"\n", /patterns\.custom\[0\] \("Broken"\): pattern: missing \]/],
    ["patterns:\n  custom:\n    - name: Lookahead\n      pattern: \"(?=x)abc\"\n", /patterns\.custom\[0\] \("Lookahead"\): pattern: invalid perl operator/],
    ["limits:\n  max_file_size: lots\n", /limits\.max_file_size: "lots" is not a size/],
    ["patterns:\n  disabled: [x]\n", /patterns: Unrecognized key: "disabled"/],
    ["allowlist:\n  regexes: [\"(\"]\n", /allowlist\.regexes\[0\]: missing \)/],
    ["patterns: [unclosed\n", /not valid YAML/],
  ])("reports a bad config with file, field and reason, exit 2 (%#)", (text, message) => {
    const root = project({ "bad.yaml": text, "a.txt": "hello\n" });
    const result = runCli(["scan", ".", "--config", "bad.yaml"], { cwd: root });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain("bad.yaml: ");
    expect(result.stderr).toMatch(message);
    expect(result.stderr).not.toContain("    at ");
  });

  it("rejects a bad --format, --threads and a missing --config, exit 2", () => {
    expect(runCli(["scan", ".", "-f", "xml"], { cwd: dir })).toMatchObject({ status: 2, stderr: expect.stringContaining('--format: "xml"') });
    expect(runCli(["scan", ".", "--threads", "-1"], { cwd: dir }).status).toBe(2);
    expect(runCli(["scan", ".", "-c", "nope.yaml"], { cwd: dir }).stderr).toContain("config file not found: nope.yaml");
  });

  it("reports an unwritable --output without losing the scan's exit code meaning (exit 2)", () => {
    const readOnly = mkdtempSync(join(tmpdir(), "vigil-ro-"));
    chmodSync(readOnly, 0o500);
    const result = runCli(["scan", ".", "-o", join(readOnly, "missing-dir", "out.json")], { cwd: dir });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain("cannot write");
  });
});

describe("vigil --help and --version", () => {
  it("documents every command and prints the version", () => {
    expect(runCli(["--version"]).stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
    const help = runCli(["scan", "--help"]).stdout;
    for (const flag of ["--format", "--output", "--show-secrets", "--config", "--max-file-size", "--no-gitignore", "Exit status"]) {
      expect(help).toContain(flag);
    }
    expect(runCli(["patterns", "list", "--format", "json"]).stdout).toContain('"secret_type": "github_personal_access_token"');
  });
});
