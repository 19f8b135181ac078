import { spawnSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ExampleRandom } from "vigil-secrets-engine";
import { describe, expect, it } from "vitest";
import { cloneDir, createTempRepository, testGitEnv } from "../../sources/git/temp-repository.js";
import { runCli } from "../../test-support/run-cli.js";

const r = new ExampleRandom(8080);
const pemBody = (r.base64(1600).match(/.{1,64}/g) ?? []).join("\n");
const privateKey = `-----BEGIN RSA PRIVATE KEY-----\nMIIEow${pemBody}\n-----END RSA PRIVATE KEY-----\n`;
const hubspotKey = `${r.hex(8)}-${r.hex(4)}-${r.hex(4)}-${r.hex(4)}-${r.hex(12)}`;

function git(cwd: string, ...args: string[]) {
  return spawnSync("git", args, { cwd, encoding: "utf8", env: { ...testGitEnv(), CI: "true", NO_COLOR: "1" } });
}

function write(dir: string, path: string, content: string): void {
  mkdirSync(join(dir, path, ".."), { recursive: true });
  writeFileSync(join(dir, path), content);
}

describe("the hooks block what push protection blocks", () => {
  it("lets a commit and a push with only non-blocking findings through, printing them; blocks a push-protection type; hooks.block: all blocks everything", () => {
    const origin = createTempRepository({ bare: true });
    const dir = cloneDir();
    expect(git(process.cwd(), "clone", "-q", origin.dir, dir).status).toBe(0);
    write(dir, "README.md", "hello\n");
    expect(git(dir, "add", "-A").status).toBe(0);
    expect(git(dir, "commit", "-qm", "init").status).toBe(0);
    expect(git(dir, "push", "-q", "origin", "HEAD:main").status).toBe(0);
    expect(runCli(["hook", "install"], { cwd: dir }).status).toBe(0);

    // A private key and a UUID next to HUBSPOT_API_KEY: reported, but push protection does not block them.
    write(dir, "deploy/id_rsa", privateKey);
    write(dir, "app.env", `HUBSPOT_API_KEY=${hubspotKey}\n`);
    git(dir, "add", "-A");
    const commit = git(dir, "commit", "-qm", "key");
    expect(commit.status, commit.stderr).toBe(0);
    expect(commit.stderr).toContain("rsa_private_key");
    expect(commit.stderr).toContain("hubspot_api_key");
    expect(commit.stderr).toContain(
      "2 secrets found, none of a type push protection blocks: reported, not blocking (--block all blocks every type)",
    );
    const push = git(dir, "push", "origin", "HEAD:main");
    expect(push.status, push.stderr).toBe(0);
    expect(push.stderr).toContain("rsa_private_key");
    expect(push.stderr).not.toContain(hubspotKey);

    // A GitHub token is a push-protection type: the commit stops.
    write(dir, "ci.env", `GITHUB_TOKEN=${r.githubToken("ghp")}\n`);
    git(dir, "add", "-A");
    const blocked = git(dir, "commit", "-qm", "token");
    expect(blocked.status).toBe(1);
    expect(blocked.stderr).toContain("vigil: commit blocked");
    git(dir, "rm", "-q", "--cached", "ci.env");

    // Stricter teams: every finding blocks.
    write(dir, "vigil.config.yaml", "hooks:\n  block: all\n");
    write(dir, "more/id_rsa", privateKey.replace("MIIEow", "MIIEpA"));
    git(dir, "add", "vigil.config.yaml", "more/id_rsa");
    const strict = git(dir, "commit", "-qm", "another key");
    expect(strict.status).toBe(1);
    expect(strict.stderr).toContain("vigil: commit blocked");
  });
});
