import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ExampleRandom, maskSecret, withGithubChecksum } from "vigil-secrets-engine";
import { describe, expect, it } from "vitest";
import type { ExplainedRecord } from "../../output/format-explained.js";
import type { FindingRecord } from "../../output/finding-record.js";
import { createTempRepository } from "../../sources/git/temp-repository.js";
import { runCli } from "../../test-support/run-cli.js";

const r = new ExampleRandom(1623);

function vigil(cwd: string, ...args: string[]) {
  return runCli(["scan", "--no-progress", ...args], { cwd });
}

/** A directory with a valid token, one whose CRC32 tail is broken, AWS's documentation key, and an allowlisted fixture. */
function project() {
  const dir = mkdtempSync(join(tmpdir(), "vigil-explain-"));
  const valid = r.githubToken("ghp");
  const other = withGithubChecksum(`ghp_${r.alnum(30)}`);
  const broken = other.slice(0, -1) + (other.endsWith("a") ? "b" : "a");
  const fixture = r.githubToken("gho");
  writeFileSync(
    join(dir, "app.env"),
    `GITHUB_TOKEN=${valid}\nOLD_TOKEN=${broken}\nAWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE\n`,
  );
  mkdirSync(join(dir, "fixtures"));
  writeFileSync(join(dir, "fixtures", "token.env"), `TOKEN=${fixture}\n`);
  writeFileSync(join(dir, "vigil.config.yaml"), 'allowlist:\n  paths:\n    - "fixtures/**"\n');
  return { dir, valid, broken, fixture };
}

/** The summary line without its timing. */
const summary = (stderr: string): string => stderr.replace(/ in [0-9.]+s/, "");

describe("vigil scan --explain (built CLI)", () => {
  it("prints, after the findings, why each rejected candidate is not reported, masked, with its rule id", () => {
    const { dir, broken } = project();
    const plain = vigil(dir, ".");
    const explained = vigil(dir, "--explain", ".");
    // Rejected candidates are not findings: same exit status, same findings first, byte for byte.
    expect([plain.status, explained.status]).toEqual([1, 1]);
    expect(explained.stdout.startsWith(plain.stdout)).toBe(true);
    expect(summary(explained.stderr)).toBe(summary(plain.stderr));
    const block = explained.stdout.slice(plain.stdout.length);
    expect(block).toContain("Not reported (--explain): 3 strings matched a pattern but are not findings:");
    const entries = block.split("\n\n").filter((b) => b.includes("reason: "));
    expect(
      entries.map((e) => [
        /\((\w+)\)/.exec(e)?.[1],
        /- (\S+):(\d+):\d+/.exec(e)?.slice(1).join(":"),
        /reason: (\w+)/.exec(e)?.[1],
      ]),
    ).toEqual([
      ["github_personal_access_token", "app.env:2", "checksum_failed"],
      ["aws_access_key_id", "app.env:3", "placeholder"],
      ["github_oauth_access_token", "fixtures/token.env:1", "allowlist_path"],
    ]);
    expect(entries[0]).toMatch(/CRC32 checksum .* does not match/);
    expect(entries[1]).toContain("EXAMPLE");
    // Masked like findings, unless --show-secrets.
    expect(block).not.toContain(broken);
    expect(entries[0]).toContain(`secret: ${maskSecret(broken)}\n`);
    expect(vigil(dir, "--explain", "--show-secrets", ".").stdout).toContain(`secret: ${broken}`);
  });

  it("adds an explained array to JSON and explained lines to JSON Lines", () => {
    const { dir, broken, valid } = project();
    const json = vigil(dir, "--explain", "-f", "json", ".");
    expect(json.status).toBe(1);
    const report = JSON.parse(json.stdout) as { findings: FindingRecord[]; explained: ExplainedRecord[] };
    expect(report.findings).toEqual(JSON.parse(vigil(dir, "-f", "json", ".").stdout));
    expect(report.findings.map((f) => f.secret_type)).toEqual(["github_personal_access_token"]);
    const checksum = report.explained[0]!;
    expect(checksum).toMatchObject({
      secret_type: "github_personal_access_token",
      path: "app.env",
      start_line: 2,
      start_column: 11,
      end_column: 10 + broken.length,
      reason: "checksum_failed",
    });
    expect(checksum.detail["check"]).toMatch(/CRC32/);
    expect(report.explained.map((e) => [e.reason, e.detail["test"] ?? ""])).toEqual([
      ["checksum_failed", ""],
      ["placeholder", "known-example"],
      ["allowlist_path", ""],
    ]);
    const revealed = JSON.parse(vigil(dir, "--explain", "--show-secrets", "-f", "json", ".").stdout) as typeof report;
    expect(revealed.explained[0]!.secret).toBe(broken);
    expect(revealed.findings[0]!.secret).toBe(valid);

    const plainLines = vigil(dir, "-f", "jsonl", ".").stdout;
    const lines = vigil(dir, "--explain", "-f", "jsonl", ".").stdout;
    expect(lines.startsWith(plainLines)).toBe(true);
    const extra = lines
      .slice(plainLines.length)
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as { explained: ExplainedRecord });
    expect(extra.map((l) => l.explained.reason)).toEqual(["checksum_failed", "placeholder", "allowlist_path"]);
  });

  it("explains standard input, and says so when nothing was turned away", () => {
    const dir = mkdtempSync(join(tmpdir(), "vigil-explain-"));
    const result = runCli(["scan", "--no-progress", "--explain", "-f", "json", "-"], {
      cwd: dir,
      input: 'password = "changeme42"\n',
    });
    expect(result.status).toBe(0);
    const report = JSON.parse(result.stdout) as { findings: FindingRecord[]; explained: ExplainedRecord[] };
    expect(report.findings).toEqual([]);
    expect(report.explained.map((e) => [e.path, e.reason, e.detail["test"]])).toEqual([
      ["-", "placeholder", "placeholder-word"],
    ]);
    const none = runCli(["scan", "--no-progress", "--explain", "-"], { cwd: dir, input: "nothing here\n" });
    expect(none.stdout).toContain("Not reported (--explain): no string matched a pattern without being reported.");
  });

  it("refuses formats it cannot extend and git modes that scan no files, and warns about history", () => {
    const { dir } = project();
    for (const format of ["sarif", "csv", "junit"]) {
      const result = vigil(dir, "--explain", "-f", format, ".");
      expect([result.status, result.stderr]).toEqual([
        2,
        expect.stringContaining("--explain works with --format table, json, jsonl"),
      ]);
    }
    const repo = createTempRepository();
    repo.commit("one", { "a.txt": "nothing\n" });
    expect(vigil(repo.dir, "--explain", "--staged").stderr).toContain("--explain cannot be used with --staged");
    const history = vigil(repo.dir, "--explain", ".");
    expect(history.status).toBe(0);
    expect(history.stderr).toContain("not in history");
  });
});
