/** One match in a report: GitHub's secret-scanning partner payload element. */
export interface PartnerReport {
  token: string;
  type: string;
  /** Public URL where the token was found; may be empty. */
  url: string;
  /** Where it was found (`commit`, `issue_comment`, …); GitHub documents capitalised names and sends lowercase ones. */
  source: string;
}

export type Label = "true_positive" | "false_positive";

/** One element of the answer: GitHub's feedback format (`token_hash`), plus Vigil's `revoked`. */
export interface TokenFeedback {
  token_hash: string;
  token_type: string;
  label: Label;
  /** Vigil's extension: the issuer has revoked the token (now or before). */
  revoked: boolean;
}

export class ReportFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ReportFormatError";
  }
}

/** Strict parsing: a JSON array of objects with string `token` and `type`; `url` and `source` default to "". */
export function parseReports(rawBody: Uint8Array | string): PartnerReport[] {
  let body: unknown;
  try {
    body = JSON.parse(typeof rawBody === "string" ? rawBody : Buffer.from(rawBody).toString("utf8"));
  } catch {
    throw new ReportFormatError("the body is not JSON");
  }
  if (!Array.isArray(body)) throw new ReportFormatError("the body must be a JSON array of matches");
  return body.map((entry: unknown, i) => {
    const e = entry as Record<string, unknown> | null;
    if (typeof e !== "object" || e === null || Array.isArray(e))
      throw new ReportFormatError(`element ${i} is not an object`);
    if (typeof e.token !== "string" || e.token === "")
      throw new ReportFormatError(`element ${i}: token must be a non-empty string`);
    if (typeof e.type !== "string" || e.type === "")
      throw new ReportFormatError(`element ${i}: type must be a non-empty string`);
    for (const field of ["url", "source"] as const) {
      if (e[field] !== undefined && e[field] !== null && typeof e[field] !== "string")
        throw new ReportFormatError(`element ${i}: ${field} must be a string`);
    }
    return {
      token: e.token,
      type: e.type,
      url: typeof e.url === "string" ? e.url : "",
      source: typeof e.source === "string" ? e.source : "",
    };
  });
}
