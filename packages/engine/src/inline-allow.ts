/** Markers that silence a finding on their line; the gitleaks and detect-secrets ones ease migration. */
export const INLINE_ALLOW_MARKERS = ["vigil:allow", "gitleaks:allow", "pragma: allowlist secret"] as const;

const MARKER_BYTES = INLINE_ALLOW_MARKERS.map((marker) => new TextEncoder().encode(marker));

/** True when the line(s) spanning [start, end) carry an allow marker. */
export function hasInlineAllow(content: Uint8Array, start: number, end: number): boolean {
  return inlineAllowMarker(content, start, end) !== undefined;
}

/** The allow marker on the line(s) spanning [start, end), if any. */
export function inlineAllowMarker(content: Uint8Array, start: number, end: number): string | undefined {
  let lineStart = start;
  while (lineStart > 0 && content[lineStart - 1] !== 0x0a) lineStart--;
  let lineEnd = end;
  while (lineEnd < content.length && content[lineEnd] !== 0x0a) lineEnd++;
  const line = content.subarray(lineStart, lineEnd);
  const i = MARKER_BYTES.findIndex((marker) => indexOfBytes(line, marker) >= 0);
  return i < 0 ? undefined : INLINE_ALLOW_MARKERS[i];
}

function indexOfBytes(haystack: Uint8Array, needle: Uint8Array): number {
  outer: for (let i = 0; i + needle.length <= haystack.length; i++) {
    for (let j = 0; j < needle.length; j++) if (haystack[i + j] !== needle[j]) continue outer;
    return i;
  }
  return -1;
}
