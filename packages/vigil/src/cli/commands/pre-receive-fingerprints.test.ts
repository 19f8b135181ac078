import { spawnSync } from "node:child_process";
import { chmodSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ExampleRandom } from "vigil-secrets-engine";
import { describe, expect, it } from "vitest";
import type { FindingRecord } from "../../output/finding-record.js";
import { cloneDir, createTempRepository, testGitEnv } from "../../sources/git/temp-repository.js";
import { CLI, runCli } from "../../test-support/run-cli.js";

const r = new ExampleRandom(31_337);

function git(cwd: string, ...args: string[]) {
  return spawnSync("git", args, { cwd, encoding: "utf8", env: { ...testGitEnv(), CI: "true", NO_COLOR: "1" } });
}

describe("allowlist.fingerprints on both sides of a push", () => {
  it("a fingerprint allowlisted in the server's config lets the push through, as it lets the client's pre-push scan pass", () => {
    const server = createTempRepository({ bare: true });
    const hook = join(server.dir, "hooks", "pre-receive");
    writeFileSync(hook, `#!/bin/sh\nexec "${process.execPath}" "${CLI}" pre-receive\n`);
    chmodSync(hook, 0o755);
    const clone = cloneDir();
    expect(git(process.cwd(), "clone", "-q", server.dir, clone).status).toBe(0);
    mkdirSync(join(clone, "test"), { recursive: true });
    writeFileSync(join(clone, "test", "fixture.env"), `GITHUB_TOKEN=${r.githubToken("ghp")}\n`);
    git(clone, "add", "-A");
    git(clone, "commit", "-qm", "fixture");

    const rejected = git(clone, "push", "origin", "HEAD:main");
    expect(rejected.status).not.toBe(0);
    expect(rejected.stderr).toContain("GH013");

    const scanned = runCli(["scan", "--range", "HEAD", "-f", "json"], { cwd: clone, env: testGitEnv({ CI: "true" }) });
    expect(scanned.status).toBe(1);
    const [finding] = JSON.parse(scanned.stdout) as FindingRecord[];
    const config = `allowlist:\n  fingerprints: ["${finding!.fingerprint}"]\n`;
    writeFileSync(join(clone, "vigil.config.yaml"), config);
    expect(runCli(["scan", "--range", "HEAD"], { cwd: clone, env: testGitEnv({ CI: "true" }) }).status).toBe(0);
    writeFileSync(join(server.dir, "vigil.config.yaml"), config);
    const pushed = git(clone, "push", "origin", "HEAD:main");
    expect(pushed.status, pushed.stderr).toBe(0);
  });
});
