/** One line of a pre-receive hook's stdin: `<old-sha> <new-sha> <ref-name>`. */
export interface RefUpdate {
  oldSha: string;
  newSha: string;
  ref: string;
}

const ZERO = /^0+$/;

export function isDeletion(update: RefUpdate): boolean {
  return ZERO.test(update.newSha);
}

/** Parses the hook's stdin; malformed lines are an error naming the line, never silently skipped. */
export function parseRefUpdates(text: string): RefUpdate[] {
  const updates: RefUpdate[] = [];
  for (const [index, raw] of text.split("\n").entries()) {
    const line = raw.trim();
    if (line === "") continue;
    const match = /^([0-9a-f]{40}|[0-9a-f]{64}) ([0-9a-f]{40}|[0-9a-f]{64}) (\S+)$/.exec(line);
    if (!match) throw new Error(`pre-receive input line ${index + 1} is not "<old-sha> <new-sha> <ref>"`);
    updates.push({ oldSha: match[1]!, newSha: match[2]!, ref: match[3]! });
  }
  return updates;
}

/**
 * The revisions whose new objects a push adds: every new tip, minus everything the repository
 * already has (`git rev-list NEW... --not --all` semantics). Deletions add nothing.
 */
export function pushRevisions(updates: RefUpdate[]): string[] {
  const tips = [...new Set(updates.filter((u) => !isDeletion(u)).map((u) => u.newSha))];
  return tips.length === 0 ? [] : [...tips, "--not", "--all"];
}
