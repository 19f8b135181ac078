import type { AlertStore, RecordResult } from "../alerts/alert-store.js";
import { toDetectedSecret } from "../alerts/detected-secret.js";
import type { CommitLocationDetails, DetectedSecret, Repository } from "../alerts/types.js";
import { updateMirror } from "./repository-mirror.js";
import type { HistoryScanner } from "./repository-service.js";

/** A wiki is a git repository beside its repository: `<source>.wiki.git`, as GitHub, GitHub Enterprise and Gitea name it. */
export function wikiSourceOf(sourceUrl: string): string {
  return `${sourceUrl.replace(/\/+$/, "").replace(/\.git$/, "")}.wiki.git`;
}

export function wikiMirrorPathOf(mirrorPath: string): string {
  return `${mirrorPath.replace(/\.git$/, "")}.wiki.git`;
}

/** GitHub's `wiki_commit` details: the page at that commit and the wiki's compare view, on the forge. */
export function wikiLocation(details: CommitLocationDetails, webBase: string): DetectedSecret["location"] {
  const base = webBase.replace(/\/+$/, "");
  const page = details.path.replace(
    /\.(md|markdown|mediawiki|wiki|textile|rdoc|org|creole|rst|asciidoc|adoc|pod)$/i,
    "",
  );
  return {
    type: "wiki_commit",
    details: {
      path: details.path,
      start_line: details.startLine,
      end_line: details.endLine,
      start_column: details.startColumn,
      end_column: details.endColumn,
      blob_sha: details.blobSha,
      page_url: `${base}/wiki/${encodeURIComponent(page)}/${details.commitSha}`,
      commit_sha: details.commitSha,
      commit_url: `${base}/wiki/_compare/${details.commitSha}`,
    },
  };
}

/**
 * Mirrors a repository's wiki and scans its whole history (incrementally after the first time), with
 * the same scanner as code; findings become `wiki_commit` locations. Only mirrored repositories have
 * a wiki to fetch: a repository Vigil hosts has none.
 */
export async function scanWiki(
  store: AlertStore,
  scanHistory: HistoryScanner,
  repo: Repository,
  webBase: string,
  signal: AbortSignal,
): Promise<RecordResult | null> {
  if (!repo.sourceUrl) return null;
  const mirror = wikiMirrorPathOf(repo.mirrorPath);
  const scan = await store.createScan({ repoId: repo.id, kind: "incremental", type: "wiki" });
  await store.updateScan(scan.id, { status: "running", startedAt: new Date().toISOString() });
  try {
    await updateMirror(wikiSourceOf(repo.sourceUrl), mirror);
    const { findings } = await scanHistory(mirror, signal);
    // Stopped part way (the server is shutting down): partial findings are not recorded.
    if (signal.aborted) throw new Error("interrupted: the server stopped during the scan");
    const detections = findings.flatMap((f) => {
      const d = toDetectedSecret(f);
      return d && d.location.type === "commit" ? [{ ...d, location: wikiLocation(d.location.details, webBase) }] : [];
    });
    const result = await store.recordDetections(repo.id, detections, { scanId: scan.id });
    await store.updateScan(scan.id, { status: "completed", completedAt: new Date().toISOString() });
    return result;
  } catch (error) {
    await store.updateScan(scan.id, {
      status: "failed",
      completedAt: new Date().toISOString(),
      error: error instanceof Error ? error.message : String(error),
    });
    throw error;
  }
}
