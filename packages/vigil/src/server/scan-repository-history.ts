import { defaultConfig } from "../config/default-config.js";
import { matcherSettingsFromConfig } from "../scan/matcher-settings.js";
import { openGitRepository } from "../sources/git/git-repository.js";
import { scanHistory } from "../sources/git/history-scanner.js";
import { loadScanState, saveScanState } from "../sources/git/scan-state.js";
import type { ReportedFinding } from "../sources/types.js";
import type { CustomPatternInput } from "vigil-secrets-engine";
import type { ScanStateAccess } from "./repository-service.js";

/**
 * The server's history scan of a bare mirror: every ref, each blob once, incremental after the first
 * run (the state sits in the store when the server passes `extra.state`, else in the mirror's git dir; a fetch followed by a scan reads only new commits,
 * and a pattern change rescans history with the changed patterns alone). Every finding is returned
 * again on each run; the store ignores locations it already has. A history that cannot be walked
 * at all throws (`HistoryWalkError`): the scan is then `failed` with the reason, never clean.
 */
export async function scanRepositoryHistory(
  gitDir: string,
  signal: AbortSignal,
  extra?: { custom?: CustomPatternInput[]; state?: ScanStateAccess },
): Promise<{ findings: ReportedFinding[]; warnings: string[]; bytesScanned: number }> {
  const repo = openGitRepository(gitDir, process.env);
  if (!repo) throw new Error("the mirror is not a git repository");
  const config = defaultConfig();
  const result = await scanHistory(repo, {
    // Custom patterns join the saved state's pattern versions: a newly published or edited one is run
    // alone over the history already scanned, like any new pattern.
    settings: { ...matcherSettingsFromConfig(config), custom: [...config.patterns.custom, ...(extra?.custom ?? [])] },
    limits: { maxFileSize: config.limits.max_file_size, scanBinaries: config.limits.scan_binaries },
    // The store's state when the server keeps one (any worker continues the scan); the mirror's file before that.
    previous: (extra?.state ? await extra.state.load() : undefined) ?? loadScanState(repo.gitDir),
    trackState: true,
    signal,
  });
  // A scan cut short by the signal keeps no state: the next one starts from what was last completed.
  if (result.state && !signal.aborted) {
    if (extra?.state) await extra.state.save(result.state);
    else saveScanState(repo.gitDir, result.state);
  }
  return { findings: result.findings, warnings: result.stats.warnings, bytesScanned: result.stats.bytesScanned };
}
