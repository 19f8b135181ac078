export const DOC_PATH: string;
export interface GithubTypeRow {
  provider: string;
  secret_type: string;
  display_name: string;
  push_protection: string;
  validity_check: string;
  base64_supported: string;
  /** The comma-joined ids of the entry the id came from (pairs). */
  group: string;
}
export function readGithubTypes(): GithubTypeRow[];
export function readNotCovered(): Map<string, string>;
export function renderPatternsDoc(patterns: readonly { id: string }[]): string;
