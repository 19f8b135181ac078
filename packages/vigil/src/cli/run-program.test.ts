import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "../test-support/run-cli.js";
import { formatParserError } from "./run-program.js";

const dir = mkdtempSync(join(tmpdir(), "vigil-cli-"));

/** Every line of standard error starts `vigil:`, and the run exits 2. */
function expectUsageError(args: string[], message: RegExp): string {
  const result = runCli(args, { cwd: dir });
  expect(result.status, result.stderr).toBe(2);
  const lines = result.stderr.trimEnd().split("\n");
  expect(lines, result.stderr).toHaveLength(1);
  expect(lines[0]).toMatch(/^vigil: /);
  expect(lines[0]).toMatch(message);
  expect(result.stdout).toBe("");
  return lines[0]!;
}

describe("command-line errors", () => {
  it("are one line starting vigil:, for commander's own errors too, exit 2", () => {
    expectUsageError(
      ["scan", "--formt", "json"],
      /^vigil: unknown option '--formt' \(did you mean --format\?\) \(run vigil scan --help for usage\)$/,
    );
    expectUsageError(["scan", "-f"], /^vigil: option '-f, --format <format>' argument missing/);
    expectUsageError(["frobnicate"], /^vigil: unknown command 'frobnicate' \(run vigil --help for usage\)$/);
    expectUsageError(["hook", "install", "--foo"], /run vigil hook install --help for usage/);
    expectUsageError(["scan", ".", "--threads", "x"], /^vigil: --threads: "x" must be a whole number/);
  });

  it.each([
    [["scan", "--redact"], /--show-secrets/],
    [["scan", "--no-git", "."], /--no-history/],
    [["scan", "--report-path", "out.json"], /-o, --output FILE/],
    [["scan", "--report-format", "sarif"], /-f, --format/],
    [["scan", "--baseline-path", "b.json"], /--baseline FILE/],
    [["scan", "--log-opts", "main..HEAD"], /--range A\.\.B/],
    [["detect", "--source", "."], /gitleaks detect is vigil scan/],
    [["protect", "--staged"], /gitleaks protect is vigil scan --staged/],
    [["dir", "."], /vigil scan --no-history PATH/],
  ])("point gitleaks users to Vigil's equivalent: %j", (args, pointer) => {
    expectUsageError(args, pointer);
  });

  it("format a parser message without losing its text", () => {
    expect(
      formatParserError(
        "error: too many arguments for 'install'. Expected 0 arguments but got 1.\n",
        "vigil hook install",
      ),
    ).toBe(
      "vigil: too many arguments for 'install'. Expected 0 arguments but got 1. (run vigil hook install --help for usage)\n",
    );
    expect(formatParserError("error: unknown option '--redact=50'\n", "vigil scan")).toContain("--show-secrets");
  });
});
