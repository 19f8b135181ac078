import { spawn } from "node:child_process";
import { gitEnv } from "./git-env.js";

export interface RunGitOptions {
  cwd: string;
  /** Base environment (see `gitEnv`). */
  env: NodeJS.ProcessEnv;
  /** Written to git's standard input. */
  input?: string;
  signal?: AbortSignal;
  git?: string;
}

export interface RunGitResult {
  code: number;
  stdout: Buffer;
  stderr: string;
}

/** Runs one git command to completion and collects its output. Never throws for a non-zero exit: look at `code`. */
export function runGit(args: string[], options: RunGitOptions): Promise<RunGitResult> {
  return new Promise((resolve) => {
    const child = spawn(options.git ?? "git", args, { cwd: options.cwd, env: gitEnv(options.env), stdio: ["pipe", "pipe", "pipe"], signal: options.signal });
    const out: Buffer[] = [];
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => out.push(chunk));
    child.stderr.setEncoding("utf8");
    child.stderr.on("data", (text: string) => (stderr = (stderr + text).slice(-8192)));
    child.stdin.on("error", () => {});
    child.stdin.end(options.input ?? "");
    child.on("error", (error) => resolve({ code: -1, stdout: Buffer.alloc(0), stderr: `cannot run git: ${(error as NodeJS.ErrnoException).code ?? error.message}` }));
    child.on("close", (code) => resolve({ code: code ?? -1, stdout: Buffer.concat(out), stderr }));
  });
}

/** The last meaningful line of git's standard error, without `fatal: ` (for one-line warnings). */
export function lastErrorLine(stderr: string): string {
  const lines = stderr
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line.length > 0 && !line.startsWith("warning: lazy fetching disabled"));
  return (lines[lines.length - 1] ?? "").replace(/^(fatal|error): /, "");
}
