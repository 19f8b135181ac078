import { ExampleRandom } from "vigil-secrets-engine";
import { XMLValidator } from "fast-xml-parser";
import { describe, expect, it } from "vitest";
import type { FindingRecord } from "../../output/finding-record.js";
import { createTempRepository, testGitEnv } from "../../sources/git/temp-repository.js";
import { runCli } from "../../test-support/run-cli.js";

const r = new ExampleRandom(1617);

function vigil(cwd: string, ...args: string[]) {
  return runCli(["scan", "--no-progress", ...args], { cwd, env: testGitEnv({ CI: "true", NO_COLOR: "1" }) });
}

/**
 * A history like a large project's: a test file that keeps the same example password through
 * five commits (five blobs), a copy of it in the documentation, and one real token in the code.
 */
function noisyRepo() {
  const repo = createTempRepository();
  const password = r.alnum(20);
  const exampleUrl = `https://deploy:${password}@ci.internal.acme.io/repo.git`;
  const token = r.githubToken("ghp");
  for (let i = 1; i <= 5; i++) {
    repo.commit(`test ${i}`, {
      "src/Client/Tests/ClientTest.php": `<?php\n// case ${i}\n$client->fetch('${exampleUrl}');\n`,
    });
  }
  repo.commit("docs", { "docs/client.md": `Fetch with \`${exampleUrl}\`.\n` });
  repo.commit("deploy", { "deploy/settings.env": `GITHUB_TOKEN=${token}\n` });
  return { repo, password, token };
}

describe("vigil scan reports each secret once, with its locations (built CLI, real git)", () => {
  it("prints one table block per secret, the real token first and the example password last, and counts both in the summary", () => {
    const { repo, password, token } = noisyRepo();
    const result = vigil(repo.dir);
    expect(result.status).toBe(1);
    const blocks = result.stdout.split("\n").filter((l) => /^\S.*\(\w+, result \d+\)$/.test(l));
    expect(blocks).toEqual([
      "GitHub Personal Access Token (github_personal_access_token, result 1)",
      "HTTP Basic Authentication URL (http_basic_authentication_url, result 2)",
    ]);
    const example = result.stdout.slice(result.stdout.indexOf("result 2)"));
    expect(result.stdout.indexOf("Generic matches found only in tests")).toBeLessThan(
      result.stdout.indexOf("result 2)"),
    );
    expect(example).toContain("6 locations:");
    expect(example.match(/^ {2}- src\/Client\/Tests\/ClientTest\.php:3:\d+ to 3:\d+, test$/gm)).toHaveLength(5);
    expect(example).toMatch(/^ {2}- docs\/client\.md:1:\d+ to 1:\d+, documentation$/m);
    expect(result.stderr).toMatch(
      /: 2 secrets found at 7 locations \(1 to check first; 1 is a generic match only in tests, documentation examples or vendored files, listed last\)/,
    );
    expect(result.stdout + result.stderr).not.toContain(password);
    expect(result.stdout + result.stderr).not.toContain(token);
  });

  it("keeps every location as a JSON record, in report order, with the secret's result number", () => {
    const { repo } = noisyRepo();
    const result = vigil(repo.dir, "-f", "json");
    const records = JSON.parse(result.stdout) as FindingRecord[];
    expect(records).toHaveLength(7);
    const rows = records.map((f) => [f.result, f.result_locations, f.path_kind, f.ranked_last]);
    expect(rows[0]).toEqual([1, 1, "code", false]);
    // The example's six locations follow, in the order the history scan met them.
    expect(rows.slice(1).map(String).sort()).toEqual([
      "2,6,documentation,true",
      ...Array.from({ length: 5 }, () => "2,6,test,true"),
    ]);
    // Five blobs of one file: five commits, one fingerprint (the same secret at the same place).
    const tests = records.filter((f) => f.path_kind === "test");
    expect(new Set(tests.map((f) => f.commit_sha)).size).toBe(5);
    expect(new Set(tests.map((f) => f.fingerprint)).size).toBe(1);
  });

  it("keeps SARIF and JUnit valid, one result or test case per location, the example ranked last", () => {
    const { repo } = noisyRepo();
    const sarif = JSON.parse(vigil(repo.dir, "-f", "sarif").stdout) as {
      runs: Array<{ results: Array<{ ruleId: string; rank: number; properties: { result: number } }> }>;
    };
    const results = sarif.runs[0]!.results;
    expect(results).toHaveLength(7);
    expect(results.map((x) => [x.ruleId, x.rank, x.properties.result])[0]).toEqual([
      "github_personal_access_token",
      90,
      1,
    ]);
    expect(results.slice(1).every((x) => x.rank === 10 && x.properties.result === 2)).toBe(true);
    const junit = vigil(repo.dir, "-f", "junit").stdout;
    expect(XMLValidator.validate(junit)).toBe(true);
    expect(junit).toContain('tests="7" failures="7"');
  });

  it("lists at most 20 locations of a secret in the table and counts the rest", () => {
    const repo = createTempRepository();
    const token = r.githubToken("ghp");
    for (let i = 1; i <= 23; i++) repo.commit(`c${i}`, { "app.env": `# v${i}\nGITHUB_TOKEN=${token}\n` });
    const result = vigil(repo.dir);
    expect(result.stdout).toContain("23 locations:");
    expect(result.stdout.match(/^ {2}- app\.env:2:14 /gm)).toHaveLength(20);
    expect(result.stdout).toContain("… and 3 more locations (--format json lists every one)");
    expect(result.stderr).toMatch(/: 1 secret found at 23 locations;/);
  });
});
