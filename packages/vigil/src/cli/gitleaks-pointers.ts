/**
 * Vigil's equivalents of gitleaks' commands and flags, so a gitleaks habit gets a pointer instead
 * of a bare "unknown option". Keys are as typed (`--redact`, `detect`).
 */
export const GITLEAKS_POINTERS: Readonly<Record<string, string>> = {
  detect: "gitleaks detect is vigil scan (a repository is scanned with its history; --no-history for its files only)",
  protect:
    "gitleaks protect is vigil scan --staged (what is about to be committed); vigil hook install adds it as a pre-commit hook",
  git: "gitleaks git is vigil scan PATH (a repository is scanned with its history)",
  dir: "gitleaks dir is vigil scan --no-history PATH",
  directory: "gitleaks directory is vigil scan --no-history PATH",
  stdin: "gitleaks stdin is vigil scan - (a dash reads standard input)",
  "--redact": "Vigil masks secrets by default; --show-secrets prints them in full",
  "--no-git": "Vigil's equivalent is --no-history (scan a repository's files, not its history)",
  "--report-path": "Vigil's equivalent is -o, --output FILE",
  "-r": "Vigil's equivalent of gitleaks -r is -o, --output FILE",
  "--report-format": "Vigil's equivalent is -f, --format (table, json, jsonl, sarif, csv, junit)",
  "--source": "Vigil takes the path as an argument: vigil scan PATH",
  "-s": "Vigil takes the path as an argument: vigil scan PATH",
  "--baseline-path": "Vigil's equivalent is --baseline FILE (written by vigil scan --baseline-out FILE)",
  "--log-opts": "Vigil's equivalents are --range A..B (those commits) and --since REV (the commits after REV)",
  "--verbose": "Vigil prints every finding by default (the table format)",
  "--no-banner": "Vigil prints no banner",
  "--max-target-megabytes": "Vigil's equivalent is --max-file-size SIZE (e.g. 10MB)",
  "--gitleaks-ignore-path":
    "Vigil's equivalents are allowlist.fingerprints in vigil.config.yaml, and baselines (--baseline)",
  "--pre-commit": "Vigil's equivalent is vigil scan --staged (vigil hook install adds it as a pre-commit hook)",
};
