import type { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import type { AlertStore, RecordResult } from "../alerts/alert-store.js";
import {
  CONTENT_LOCATION_TYPES,
  type ContentLocationDetails,
  type ContentLocationType,
  type Repository,
} from "../alerts/types.js";
import type { ApiEnv } from "./api-env.js";
import { ApiError, DOCS_URL } from "./api-error.js";
import { readJsonObject, requireScopes } from "./authenticate.js";
import { resolveAlertRepository } from "./repo-access.js";

/** One text (and its earlier revisions) at one place, as the content endpoint takes it. */
export interface ContentSubmission {
  type: ContentLocationType;
  details: ContentLocationDetails;
  texts: string[];
}

export type ContentRecorder = (
  repo: Repository,
  items: ContentSubmission[],
) => Promise<RecordResult & { findings: number }>;

export const CONTENT_BODY_LIMIT = 5 * 1024 * 1024;
const MAX_ITEMS = 100;
const MAX_TEXT_BYTES = 1024 * 1024;
const MAX_REVISIONS = 20;
const MAX_DETAIL_FIELDS = 20;
const ACCEPTED = CONTENT_LOCATION_TYPES.filter((t) => t !== "wiki_commit");

/** The URL field a location type's details must carry: GitHub's `<type>_url`; `url` for Vigil's `content`. */
export function urlFieldOf(type: ContentLocationType): string {
  return type === "content" ? "url" : `${type}_url`;
}

/** Validates the body; 422 naming the field (`items[2].details.issue_comment_url`). */
export function parseContentSubmission(body: Record<string, unknown>): ContentSubmission[] {
  const invalid = (field: string, message: string): never => {
    throw new ApiError(422, `Invalid ${field}: ${message}`, [{ resource: "Content", field, code: "invalid", message }]);
  };
  const items = body.items;
  if (!Array.isArray(items) || items.length === 0 || items.length > MAX_ITEMS)
    return invalid("items", `a list of 1 to ${MAX_ITEMS} items`);
  return items.map((raw: unknown, i): ContentSubmission => {
    const at = `items[${i}]`;
    if (typeof raw !== "object" || raw === null || Array.isArray(raw)) return invalid(at, "an object");
    const item = raw as Record<string, unknown>;
    const type = item.type as ContentLocationType;
    if (typeof item.type !== "string" || !(ACCEPTED as readonly string[]).includes(item.type))
      invalid(`${at}.type`, `one of ${ACCEPTED.join(", ")}`);
    if (typeof item.details !== "object" || item.details === null || Array.isArray(item.details))
      return invalid(`${at}.details`, "an object");
    const entries = Object.entries(item.details as Record<string, unknown>);
    if (entries.length > MAX_DETAIL_FIELDS) invalid(`${at}.details`, `at most ${MAX_DETAIL_FIELDS} fields`);
    for (const [key, value] of entries) {
      if (!/^[a-z][a-z0-9_]{0,63}$/.test(key))
        invalid(`${at}.details`, `field names are snake_case (${key.slice(0, 64)})`);
      if (
        !(typeof value === "string" && value.length <= 2048) &&
        !(typeof value === "number" && Number.isFinite(value))
      )
        invalid(`${at}.details.${key}`, "a string (at most 2,048 characters) or a number");
    }
    const urlField = urlFieldOf(type);
    const url = (item.details as Record<string, unknown>)[urlField];
    if (typeof url !== "string" || !/^https?:\/\/\S+$/.test(url))
      invalid(`${at}.details.${urlField}`, "an http(s) URL saying where the text is");
    const texts = item.texts ?? (item.text === undefined ? undefined : [item.text]);
    if (!Array.isArray(texts) || texts.length === 0 || texts.length > MAX_REVISIONS)
      return invalid(`${at}.text`, `text (a string), or texts (1 to ${MAX_REVISIONS} revisions)`);
    for (const text of texts) {
      if (typeof text !== "string") invalid(`${at}.texts`, "strings");
      else if (Buffer.byteLength(text, "utf8") > MAX_TEXT_BYTES)
        invalid(`${at}.texts`, `each at most ${MAX_TEXT_BYTES} bytes`);
    }
    return { type, details: Object.fromEntries(entries) as ContentLocationDetails, texts: texts as string[] };
  });
}

/**
 * Vigil's extension: `POST /repos/{owner}/{repo}/secret-scanning/content` takes any text with a
 * location descriptor (GitHub's content location types, or `content` for anything else) and scans
 * it with the same engine as code, recording alerts before answering. Those who manage the
 * repository's alerts may call it (others 404), with `repo` or `security_events` (else 403).
 */
export function mountContentRoutes(app: Hono<ApiEnv>, store: AlertStore, record: ContentRecorder): void {
  app.post(
    "/repos/:owner/:repo/secret-scanning/content",
    bodyLimit({
      maxSize: CONTENT_BODY_LIMIT,
      onError: () =>
        Response.json(
          {
            message: `The body is larger than ${CONTENT_BODY_LIMIT} bytes`,
            documentation_url: DOCS_URL,
            status: "413",
          },
          { status: 413 },
        ),
    }),
    async (c) => {
      const { repo } = await resolveAlertRepository(store, c.get("user"), c.req.param("owner"), c.req.param("repo"));
      requireScopes(c, ["repo", "security_events"]);
      const items = parseContentSubmission(await readJsonObject(c));
      const result = await record(repo, items);
      return c.json({
        findings: result.findings,
        alerts_created: result.created.map((a) => a.number),
        alerts_updated: result.updated.map((a) => a.number),
        locations_added: result.locationsAdded,
      });
    },
  );
}
