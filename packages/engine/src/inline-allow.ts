/** Markers that silence a finding on their line; the gitleaks and detect-secrets ones ease migration. */
export const INLINE_ALLOW_MARKERS = ["vigil:allow", "gitleaks:allow", "pragma: allowlist secret"] as const;

const MARKER_BYTES = INLINE_ALLOW_MARKERS.map((marker) => new TextEncoder().encode(marker));

/** True when the line(s) spanning [start, end) carry an allow marker. */
export function hasInlineAllow(content: Uint8Array, start: number, end: number): boolean {
  let lineStart = start;
  while (lineStart > 0 && content[lineStart - 1] !== 0x0a) lineStart--;
  let lineEnd = end;
  while (lineEnd < content.length && content[lineEnd] !== 0x0a) lineEnd++;
  const line = content.subarray(lineStart, lineEnd);
  return MARKER_BYTES.some((marker) => indexOfBytes(line, marker) >= 0);
}

function indexOfBytes(haystack: Uint8Array, needle: Uint8Array): number {
  outer: for (let i = 0; i + needle.length <= haystack.length; i++) {
    for (let j = 0; j < needle.length; j++) if (haystack[i + j] !== needle[j]) continue outer;
    return i;
  }
  return -1;
}
