import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { ExampleRandom } from "vigil-secrets-engine";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ISSUER_FAKES, startIssuerFakes, type RunningFake } from "../../test-support/issuer-fakes.js";
import { CLI } from "../../test-support/run-cli.js";

const run = promisify(execFile);

/** Runs the built CLI without blocking this process (the fake issuers answer from it). */
async function vigil(
  args: string[],
  env: NodeJS.ProcessEnv,
): Promise<{ status: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [CLI, ...args], {
      env: { ...process.env, CI: "true", NO_COLOR: "1", ...env },
    });
    return { status: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { status: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe("vigil scan --validate", () => {
  const r = new ExampleRandom(0x5ca1);
  const live = r.githubToken("ghp");
  const revoked = r.githubToken("ghp");
  const awsId = `AKIA${r.chars("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", 16)}`;
  const awsKey = `${r.base64(20)}Ab1${r.base64(17)}`;
  let dir: string;
  let fake: RunningFake;
  let env: NodeJS.ProcessEnv;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "vigil-validate-"));
    writeFileSync(join(dir, "app.env"), `GITHUB_TOKEN=${live}\n`);
    writeFileSync(join(dir, "old.env"), `GITHUB_TOKEN=${revoked}\n# same token again\nTOKEN=${live}\n`);
    writeFileSync(
      join(dir, "credentials"),
      `[default]\naws_access_key_id = ${awsId}\naws_secret_access_key = ${awsKey}\n`,
    );
    fake = await startIssuerFakes(
      [ISSUER_FAKES.github_personal_access_token!, ISSUER_FAKES.aws_access_key_id!],
      [{ secret: live }, { secret: awsId, pair: awsKey }],
    );
    env = { VIGIL_TEST_ONLY_VALIDITY_ORIGIN: fake.origin };
  });
  afterAll(async () => {
    await fake.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("reports each finding's validity in JSON, checking each distinct secret once", async () => {
    const result = await vigil(["scan", dir, "--no-history", "--validate", "-f", "json", "--no-progress"], env);
    expect(result.status, result.stderr).toBe(1);
    const records = JSON.parse(result.stdout) as {
      secret_type: string;
      path: string;
      start_line: number;
      validity: string;
      validity_detail: string;
    }[];
    const byPlace = Object.fromEntries(
      records.map((x) => [
        `${x.path.replace(/^.*\//, "")}:${x.start_line}`,
        [x.secret_type, x.validity, x.validity_detail],
      ]),
    );
    expect(byPlace).toEqual({
      "app.env:1": ["github_personal_access_token", "active", "HTTP 200"],
      "old.env:1": ["github_personal_access_token", "inactive", "HTTP 401"],
      "old.env:3": ["github_personal_access_token", "active", "HTTP 200"],
      "credentials:2": ["aws_access_key_id", "active", "HTTP 200"],
    });
    expect(fake.requests.filter((q) => q.path === "/user")).toHaveLength(2);
    expect(result.stderr).toContain("checking 4 findings with their issuers");
    expect(result.stderr + result.stdout).not.toContain(live);
  });

  it("puts validity in SARIF properties and the table", async () => {
    const sarif = await vigil(["scan", join(dir, "old.env"), "--validate", "-f", "sarif", "--no-progress"], env);
    const results = (JSON.parse(sarif.stdout) as { runs: { results: { properties: { validity: string } }[] }[] })
      .runs[0]!.results;
    expect(results.map((x) => x.properties.validity).sort()).toEqual(["active", "inactive"]);
    const table = await vigil(["scan", join(dir, "app.env"), "--validate", "--no-progress"], env);
    expect(table.stdout).toContain("validity: active (HTTP 200)");
  });

  it("sends nothing without --validate", async () => {
    const before = fake.requests.length;
    const result = await vigil(["scan", dir, "--no-history", "-f", "json", "--no-progress"], env);
    expect(result.status).toBe(1);
    expect(fake.requests.length).toBe(before);
    expect((JSON.parse(result.stdout) as { validity?: string }[]).every((x) => x.validity === undefined)).toBe(true);
  });
});
