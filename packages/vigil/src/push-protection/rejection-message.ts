/** One blocked secret, with every place the push carries it. */
export interface BlockedSecret {
  secretTypeDisplayName: string;
  locations: Array<{ commitSha: string; path: string; line: number }>;
  /** Where the pusher can allow this secret; absent when no Vigil server is configured. */
  allowUrl?: string;
}

export interface RejectionMessageOptions {
  ref: string;
  secrets: BlockedSecret[];
  /** The organization's custom help link, shown to every blocked contributor. */
  customLink?: string | null;
  /** Where to read how to resolve a blocked push. */
  helpUrl: string;
  /** Shown when no server can allow a secret: how to allow it locally. */
  localAllowHint?: string;
}

/** GitHub shows at most this many secrets per rejected push, then a count of the rest. */
export const MAX_SECRETS_SHOWN = 5;

/**
 * The message a blocked push prints, in GitHub's format (GH013, "Push cannot
 * contain secrets"), so developers who know GitHub's read it at a glance. Lines
 * go to the pusher through git's `remote:` prefix.
 */
export function formatRejectionMessage(options: RejectionMessageOptions): string {
  const lines: string[] = [];
  lines.push(`error: GH013: Repository rule violations found for ${options.ref}.`);
  lines.push("");
  lines.push("- VIGIL PUSH PROTECTION");
  lines.push("  —————————————————————————————————————————");
  lines.push("    Resolve the following violations before pushing again");
  lines.push("");
  lines.push("    - Push cannot contain secrets");
  lines.push("");
  lines.push("");
  lines.push("     (?) Learn how to resolve a blocked push");
  lines.push(`     ${options.helpUrl}`);
  if (options.customLink) {
    lines.push("");
    lines.push("     (?) Your organization's guidance on secrets");
    lines.push(`     ${options.customLink}`);
  }
  lines.push("");
  for (const secret of options.secrets.slice(0, MAX_SECRETS_SHOWN)) {
    lines.push("");
    lines.push(`      —— ${secret.secretTypeDisplayName} ${"—".repeat(Math.max(4, 40 - secret.secretTypeDisplayName.length))}`);
    lines.push("       locations:");
    for (const location of secret.locations) {
      lines.push(`         - commit: ${location.commitSha}`);
      lines.push(`           path: ${location.path}:${location.line}`);
    }
    lines.push("");
    if (secret.allowUrl) {
      lines.push("       (?) To push, remove secret from commit(s) or follow this URL to allow the secret.");
      lines.push(`       ${secret.allowUrl}`);
    } else if (options.localAllowHint) {
      lines.push(`       (?) To push, remove secret from commit(s). ${options.localAllowHint}`);
    }
  }
  const hidden = options.secrets.length - MAX_SECRETS_SHOWN;
  if (hidden > 0) {
    lines.push("");
    lines.push(`      … and ${hidden} more secret${hidden === 1 ? "" : "s"} not shown. Remove the secrets above and push again to see them.`);
  }
  lines.push("");
  return lines.join("\n");
}
