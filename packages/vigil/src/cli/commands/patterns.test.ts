import { describe, expect, it } from "vitest";
import { runCli } from "../../test-support/run-cli.js";
import { createValidityChecker } from "../../validity/validity-checker.js";

interface PatternRecord {
  secret_type: string;
  validity_check: boolean;
  vigil_validity_check: boolean;
}

describe("vigil patterns list", () => {
  it("says which types Vigil checks with their issuer, apart from GitHub's flag", () => {
    const result = runCli(["patterns", "list", "--format", "json"]);
    expect(result.status).toBe(0);
    const records = JSON.parse(result.stdout) as PatternRecord[];
    const byType = new Map(records.map((r) => [r.secret_type, r]));
    // What the server's checker supports is what the listing says, type by type (AWS's secret key is checked as its key id's pair).
    const checker = createValidityChecker();
    for (const record of records) {
      expect(record.vigil_validity_check, record.secret_type).toBe(
        checker.supports(record.secret_type) || record.secret_type === "aws_secret_access_key",
      );
    }
    expect(byType.get("slack_api_token")).toMatchObject({ vigil_validity_check: true });
    expect(byType.get("aws_access_key_id")).toMatchObject({ validity_check: true, vigil_validity_check: true });
    // GitHub checks these; Vigil has no check document for them.
    const githubOnly = records.filter((r) => r.validity_check && !r.vigil_validity_check);
    expect(githubOnly.length).toBeGreaterThan(0);
    expect(records.filter((r) => r.vigil_validity_check).length).toBeGreaterThanOrEqual(69);

    const table = runCli(["patterns", "list"]).stdout.split("\n");
    expect(table[0]).toMatch(/VALIDATION\s+VALIDITY\s+BASE64/);
    const row = (type: string): string[] => table.find((l) => l.startsWith(`${type} `))!.trim().split(/\s+/);
    expect(row("slack_api_token")).toContain("vigil");
    expect(row(githubOnly[0]!.secret_type)).toContain("github-only");
  });
});
