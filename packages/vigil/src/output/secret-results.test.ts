import { builtinPatterns, createMatcher, ExampleRandom, type Finding } from "vigil-secrets-engine";
import { describe, expect, it } from "vitest";
import type { ReportedFinding } from "../sources/types.js";
import { countResults, groupBySecret } from "./secret-results.js";

const r = new ExampleRandom(1616);
const { matcher } = createMatcher(builtinPatterns);

function one(text: string, secretType: string): Finding {
  const found = matcher.scan(Buffer.from(text)).filter((f) => f.secretType === secretType);
  expect(found, text).toHaveLength(1);
  return found[0]!;
}

const at = (finding: Finding, path: string): ReportedFinding => ({ finding, location: { type: "file", path } });

describe("groupBySecret", () => {
  const github = one(`token ${r.githubToken("ghp")}\n`, "github_personal_access_token");
  const urlPassword = r.alnum(20);
  const url = one(
    `url = "https://deploy:${urlPassword}@ci.internal.acme.io/repo.git"\n`,
    "http_basic_authentication_url",
  );
  const sameUrlMoved = one(
    `\n\n    fetch("https://deploy:${urlPassword}@ci.internal.acme.io/repo.git")\n`,
    "http_basic_authentication_url",
  );
  const otherUrl = one(
    `url = "https://deploy:${r.alnum(20)}@ci.internal.acme.io/repo.git"\n`,
    "http_basic_authentication_url",
  );

  it("makes one result per secret with every location, whatever the line, and tells other secrets apart", () => {
    const results = groupBySecret([
      at(url, "app/client.py"),
      at(otherUrl, "app/client.py"),
      at(sameUrlMoved, "app/other.py"),
      at(url, "app/client.py"),
    ]);
    expect(results.map((res) => res.findings.map((f) => f.location.path))).toEqual([
      ["app/client.py", "app/other.py", "app/client.py"],
      ["app/client.py"],
    ]);
    expect(results.map((res) => res.number)).toEqual([1, 2]);
    expect(countResults(results)).toEqual({ secrets: 2, locations: 4, rankedLast: 0 });
  });

  it("ranks provider types first, then generic matches in code, then generic matches found only in tests, examples or vendored files", () => {
    const results = groupBySecret([
      at(url, "tests/client_test.py"),
      at(otherUrl, "src/deploy.py"),
      at(github, "tests/fixtures/token.txt"),
    ]);
    expect(results.map((res) => [res.findings[0]!.finding.secretType, res.rankedLast, res.pathKinds])).toEqual([
      // A provider's token in a test is still real: never ranked last.
      ["github_personal_access_token", false, ["test"]],
      ["http_basic_authentication_url", false, ["code"]],
      ["http_basic_authentication_url", true, ["test"]],
    ]);
    expect(countResults(results)).toEqual({ secrets: 3, locations: 3, rankedLast: 1 });
  });

  it("does not rank a generic match last when one of its places is ordinary code", () => {
    const results = groupBySecret([
      at(url, "docs/setup.md"),
      at(url, "vendor/acme/client.php"),
      at(url, "deploy/ci.sh"),
    ]);
    expect(results).toHaveLength(1);
    expect(results[0]).toMatchObject({ rankedLast: false, pathKinds: ["documentation", "vendored", "code"] });
  });
});
