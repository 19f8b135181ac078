import { existsSync } from "node:fs";
import type { CustomPatternInput } from "vigil-secrets-engine";
import { openGitRepository } from "../sources/git/git-repository.js";
import { scanHistory } from "../sources/git/history-scanner.js";
import type { ReportedFinding } from "../sources/types.js";

/** Runs patterns alone over a repository's whole history (every ref), without touching its incremental state. */
export async function scanWithPatterns(
  gitDir: string,
  inputs: CustomPatternInput[],
  signal?: AbortSignal,
): Promise<ReportedFinding[]> {
  if (!existsSync(gitDir)) return [];
  const repo = openGitRepository(gitDir, process.env);
  if (!repo) return [];
  const result = await scanHistory(repo, {
    settings: {
      disabled: [],
      generic: false,
      custom: inputs,
      allowValues: [],
      allowRegexes: [],
      only: inputs.map((i) => i.id!),
    },
    limits: { maxFileSize: 10 * 1024 * 1024, scanBinaries: false },
    threads: 0,
    ...(signal ? { signal } : {}),
  });
  return result.findings;
}
