import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ExampleRandom } from "vigil-secrets-engine";
import { describe, expect, it } from "vitest";
import { runCli } from "../../../test-support/run-cli.js";
import { createTempRepository } from "../temp-repository.js";

const r = new ExampleRandom(1719);

describe("vigil scan --full of a packed repository (built CLI, worker threads)", () => {
  it("reads the packs on worker threads and reports what the git cat-file path reports", () => {
    const repo = createTempRepository();
    // Over the 8 MB of packs at which a full scan reads them directly (random bytes do not compress).
    repo.commit("assets", { "assets/blob.bin": randomBytes(9 * 1024 * 1024) });
    let app = Array.from({ length: 150 }, (_, i) => `export const value${i} = ${i}; // line ${i}\n`).join("");
    const secrets: string[] = [];
    for (let i = 0; i < 12; i++) {
      const at = app.indexOf("\n", (i * 613) % app.length) + 1;
      let line = `export const step${i} = ${i};\n`;
      if (i % 4 === 1) {
        secrets.push(r.githubToken("ghp"));
        line = `const token${i} = "${secrets[secrets.length - 1]}";\n`;
      }
      app = app.slice(0, at) + line + app.slice(at);
      repo.commit(`change ${i}`, { "src/app.js": app });
    }
    repo.git("gc", "-q");
    const args = ["scan", repo.dir, "--full", "--format", "json", "--no-progress", "--threads", "2"];
    // A git that logs what `git cat-file` is asked for: the pack path must not ask it for blobs.
    const bin = mkdtempSync(join(tmpdir(), "vigil-git-log-"));
    const realGit = execFileSync("sh", ["-c", "command -v git"], { encoding: "utf8" }).trim();
    writeFileSync(
      join(bin, "git"),
      `#!/bin/sh\nif [ "$1" = cat-file ]; then tee -a "$VIGIL_TEST_LOG" | "${realGit}" "$@"; exit; fi\nexec "${realGit}" "$@"\n`,
    );
    chmodSync(join(bin, "git"), 0o755);
    const env = (log: string) => ({ PATH: `${bin}:${process.env["PATH"]}`, VIGIL_TEST_LOG: join(bin, log) });
    writeFileSync(join(bin, "packs.log"), "");
    writeFileSync(join(bin, "git.log"), "");
    const viaPacks = runCli(args, { env: env("packs.log") });
    const viaGit = runCli(args, { env: { ...env("git.log"), VIGIL_READ_PACKS: "0" } });
    const asked = (log: string) => new Set(readFileSync(join(bin, log), "utf8").split("\n").filter(Boolean));
    const appBlob = repo.git("rev-parse", "HEAD:src/app.js");
    expect(asked("git.log").has(appBlob)).toBe(true);
    expect(asked("packs.log").has(appBlob)).toBe(false);
    expect(viaPacks.status, viaPacks.stderr).toBe(1);
    expect(viaGit.status, viaGit.stderr).toBe(1);
    const found = JSON.parse(viaPacks.stdout) as Array<{ secret: string; commit_sha: string; path: string }>;
    expect(found.length).toBeGreaterThanOrEqual(secrets.length);
    expect(viaPacks.stdout).toBe(viaGit.stdout);
    expect(viaPacks.stderr.replace(/ in [\d.]+m?s/, "")).toBe(viaGit.stderr.replace(/ in [\d.]+m?s/, ""));
    const shown = runCli([...args, "--show-secrets"]);
    const revealed = (JSON.parse(shown.stdout) as Array<{ secret: string }>).map((f) => f.secret);
    for (const secret of secrets) expect(revealed).toContain(secret);
  });
});
