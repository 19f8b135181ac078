import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runCli } from "../../test-support/run-cli.js";

// Scans large enough to overflow the stack wherever an array is spread into arguments
// (`push(...big)`, `Math.max(...big)`) or walked recursively: past V8's ~120,000 arguments.

const dirs: string[] = [];
afterAll(() => {
  // 130,000 files take a while to delete on a busy disk: rm runs on in the background.
  for (const dir of dirs) spawn("rm", ["-rf", dir], { detached: true, stdio: "ignore" }).unref();
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "vigil-scale-"));
  dirs.push(dir);
  return dir;
}

describe("vigil scan at scale", () => {
  it("walks and scans 130,000 files", () => {
    const root = tempDir();
    const tree = join(root, "tree");
    for (let d = 0; d < 130; d++) {
      mkdirSync(join(tree, `d${d}`), { recursive: true });
      for (let f = 0; f < 1000; f++) writeFileSync(join(tree, `d${d}`, `f${f}.txt`), `file ${d}/${f}\n`);
    }
    // One secret-looking line of the custom pattern in the last file, to show the scan ran to the end.
    writeFileSync(join(tree, "d129", "f999.txt"), "key = zz_abcdefghij\n");
    writeFileSync(
      join(root, "vigil.config.yaml"),
      'patterns:\n  custom:\n    - name: Broad\n      pattern: "zz_[a-z]{10}"\n',
    );
    const result = runCli(["scan", "--no-progress", "-c", join(root, "vigil.config.yaml"), "-f", "json", tree]);
    expect(result.stderr).not.toMatch(/stack size|unexpected error/);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/scanned 130,?000 files/);
    expect(JSON.parse(result.stdout)).toHaveLength(1);
  }, 60_000);

  it("reports 250,000 findings of one broad pattern", () => {
    const root = tempDir();
    // 5 files of 50,000 distinct matches each (about 1 MB apiece).
    for (let f = 0; f < 5; f++) {
      const lines: string[] = [];
      for (let i = 0; i < 50_000; i++)
        lines.push(
          `zz_${(f * 50_000 + i)
            .toString(26)
            .replace(/./g, (c) => String.fromCharCode(97 + parseInt(c, 26)))
            .padStart(10, "a")}`,
        );
      writeFileSync(join(root, `many${f}.txt`), lines.join("\n") + "\n");
    }
    writeFileSync(
      join(root, "vigil.config.yaml"),
      'patterns:\n  custom:\n    - name: Broad\n      pattern: "zz_[a-z]{10}"\n',
    );
    const out = join(root, "out.jsonl");
    const result = runCli([
      "scan",
      "--no-progress",
      "-c",
      join(root, "vigil.config.yaml"),
      "-f",
      "jsonl",
      "-o",
      out,
      root,
    ]);
    expect(result.stderr).not.toMatch(/stack size|unexpected error/);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/250,?000 secrets found/);
    const lines = readFileSync(out, "utf8").trimEnd().split("\n");
    expect(lines).toHaveLength(250_000);
    expect(new Set(lines.map((l) => (JSON.parse(l) as { secret_type: string; path?: string }).secret_type))).toEqual(
      new Set(["broad"]),
    );
  }, 60_000);
});
