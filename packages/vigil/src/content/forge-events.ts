import type { ContentLocationDetails, ContentLocationType } from "../alerts/types.js";

/**
 * One piece of forge content at one place, with every revision of its text a delivery shows: the
 * text now and, for an edit, the text before it (`changes.*.from`). A secret pasted and then edited
 * away is still found.
 */
export interface ContentItem {
  type: ContentLocationType;
  details: ContentLocationDetails;
  texts: string[];
}

/** What a forge delivery says: the repository it is about, the content to scan, and wiki pages that changed. */
export interface ForgeDelivery {
  event: string;
  repositoryFullName: string;
  /** The repository's web URL on the forge, when the payload gives it (wiki locations link there). */
  repositoryHtmlUrl?: string;
  items: ContentItem[];
  /** gollum: the wiki changed; its git history is scanned. */
  wikiChanged: boolean;
}

/** A payload that does not have the shape its event promises; the message names the field. */
export class ForgePayloadError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ForgePayloadError";
  }
}

/** GitHub's events with text in them; others (ping, push, …) carry none and are acknowledged. */
export const CONTENT_EVENTS = [
  "issues",
  "issue_comment",
  "pull_request",
  "pull_request_review",
  "pull_request_review_comment",
  "discussion",
  "discussion_comment",
  "gollum",
] as const;

type Json = Record<string, unknown>;

function object(value: unknown, field: string): Json {
  if (typeof value !== "object" || value === null || Array.isArray(value))
    throw new ForgePayloadError(`${field} must be an object`);
  return value as Json;
}

function string(value: unknown, field: string): string {
  if (typeof value !== "string" || value === "") throw new ForgePayloadError(`${field} must be a non-empty string`);
  return value;
}

/** Text fields may be null (an issue without a description). */
function text(value: unknown, field: string): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value !== "string") throw new ForgePayloadError(`${field} must be a string or null`);
  return value;
}

function id(value: unknown, field: string): number {
  if (typeof value !== "number" || !Number.isSafeInteger(value))
    throw new ForgePayloadError(`${field} must be an integer`);
  return value;
}

/** The text of a field now and before the edit, when the delivery is an edit of that field. */
function revisions(payload: Json, now: unknown, change: "title" | "body", field: string): string[] {
  const texts: string[] = [];
  const current = text(now, field);
  if (current) texts.push(current);
  if (payload.changes !== undefined && payload.changes !== null) {
    const changes = object(payload.changes, "changes");
    if (changes[change] !== undefined) {
      const from = text(object(changes[change], `changes.${change}`).from, `changes.${change}.from`);
      if (from) texts.push(from);
    }
  }
  return texts;
}

/** Parses a GitHub-compatible webhook delivery (`X-GitHub-Event` + JSON body) into the content to scan. */
export function parseGithubDelivery(event: string, body: unknown): ForgeDelivery {
  const payload = object(body, "the payload");
  const repository = object(payload.repository, "repository");
  const repositoryFullName = string(repository.full_name, "repository.full_name");
  const items: ContentItem[] = [];
  const add = (type: ContentLocationType, details: ContentLocationDetails, texts: string[]): void => {
    if (texts.length > 0) items.push({ type, details, texts });
  };

  switch (event) {
    case "issues": {
      const issue = object(payload.issue, "issue");
      const url = string(issue.url, "issue.url");
      const html = string(issue.html_url, "issue.html_url");
      add(
        "issue_title",
        { issue_title_url: url, html_url: html },
        revisions(payload, issue.title, "title", "issue.title"),
      );
      add("issue_body", { issue_body_url: url, html_url: html }, revisions(payload, issue.body, "body", "issue.body"));
      break;
    }
    case "issue_comment": {
      const issue = object(payload.issue, "issue");
      const comment = object(payload.comment, "comment");
      const url = string(comment.url, "comment.url");
      const html = string(comment.html_url, "comment.html_url");
      const texts = revisions(payload, comment.body, "body", "comment.body");
      // A comment on a pull request's conversation is GitHub's pull_request_comment.
      if (issue.pull_request !== undefined && issue.pull_request !== null)
        add("pull_request_comment", { pull_request_comment_url: url, html_url: html }, texts);
      else add("issue_comment", { issue_comment_url: url, html_url: html }, texts);
      break;
    }
    case "pull_request": {
      const pull = object(payload.pull_request, "pull_request");
      const url = string(pull.url, "pull_request.url");
      const html = string(pull.html_url, "pull_request.html_url");
      add(
        "pull_request_title",
        { pull_request_title_url: url, html_url: html },
        revisions(payload, pull.title, "title", "pull_request.title"),
      );
      add(
        "pull_request_body",
        { pull_request_body_url: url, html_url: html },
        revisions(payload, pull.body, "body", "pull_request.body"),
      );
      break;
    }
    case "pull_request_review": {
      const pull = object(payload.pull_request, "pull_request");
      const review = object(payload.review, "review");
      const url = `${string(pull.url, "pull_request.url")}/reviews/${id(review.id, "review.id")}`;
      add(
        "pull_request_review",
        { pull_request_review_url: url, html_url: string(review.html_url, "review.html_url") },
        revisions(payload, review.body, "body", "review.body"),
      );
      break;
    }
    case "pull_request_review_comment": {
      const comment = object(payload.comment, "comment");
      add(
        "pull_request_review_comment",
        {
          pull_request_review_comment_url: string(comment.url, "comment.url"),
          html_url: string(comment.html_url, "comment.html_url"),
        },
        revisions(payload, comment.body, "body", "comment.body"),
      );
      break;
    }
    case "discussion": {
      const discussion = object(payload.discussion, "discussion");
      const html = string(discussion.html_url, "discussion.html_url");
      add(
        "discussion_title",
        { discussion_title_url: html },
        revisions(payload, discussion.title, "title", "discussion.title"),
      );
      add(
        "discussion_body",
        { discussion_body_url: html },
        revisions(payload, discussion.body, "body", "discussion.body"),
      );
      break;
    }
    case "discussion_comment": {
      const comment = object(payload.comment, "comment");
      add(
        "discussion_comment",
        { discussion_comment_url: string(comment.html_url, "comment.html_url") },
        revisions(payload, comment.body, "body", "comment.body"),
      );
      break;
    }
    case "gollum": {
      if (!Array.isArray(payload.pages)) throw new ForgePayloadError("pages must be an array");
      return { event, repositoryFullName, ...htmlUrlOf(repository), items, wikiChanged: true };
    }
    default:
      break;
  }
  return { event, repositoryFullName, ...htmlUrlOf(repository), items, wikiChanged: false };
}

function htmlUrlOf(repository: Json): { repositoryHtmlUrl?: string } {
  return typeof repository.html_url === "string" && /^https?:\/\//.test(repository.html_url)
    ? { repositoryHtmlUrl: repository.html_url }
    : {};
}
