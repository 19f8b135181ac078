/** Where this project lives and its documentation, for links in output (SARIF rule help, tool information). */
export const PROJECT_URL = "https://github.com/vigil-scanner/vigil";
export const DOCS_BASE_URL = `${PROJECT_URL}/blob/main/docs`;

/** A secret type's row in docs/patterns.md (the generator gives every row this anchor). */
export function patternDocUrl(secretType: string): string {
  return `${DOCS_BASE_URL}/patterns.md#${encodeURIComponent(secretType)}`;
}
