/**
 * Decodes one base64 or base64url segment (a JWT header or payload, a JSON key
 * blob) to a JSON object; undefined when it is not one. Offline validators use
 * it to check a token's structure.
 */
export function decodeJsonSegment(segment: string): Record<string, unknown> | undefined {
  try {
    // Node's base64 decoder reads both alphabets, with or without padding.
    const value: unknown = JSON.parse(Buffer.from(segment, "base64").toString("utf8"));
    return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
