import type { ContentLocationDetails, ContentLocationType } from "../alerts/types.js";
import { ForgePayloadError, parseGithubDelivery, type ContentItem, type ForgeDelivery } from "./forge-events.js";

/**
 * Gitea's and GitLab's webhook payloads, turned into the same deliveries as GitHub's. The forge is
 * told by its event header: `X-Gitlab-Event`, then `X-Gitea-Event` (Gitea also sends
 * `X-GitHub-Event`), then `X-GitHub-Event`.
 */
export type Forge = "github" | "gitea" | "gitlab";

export function forgeOf(header: (name: string) => string | undefined): { forge: Forge; event: string } | null {
  const gitlab = header("x-gitlab-event");
  if (gitlab) return { forge: "gitlab", event: gitlab };
  const gitea = header("x-gitea-event");
  if (gitea) return { forge: "gitea", event: gitea };
  const github = header("x-github-event");
  if (github) return { forge: "github", event: github };
  return null;
}

type Json = Record<string, unknown>;

const obj = (value: unknown, field: string): Json => {
  if (typeof value !== "object" || value === null || Array.isArray(value))
    throw new ForgePayloadError(`${field} must be an object`);
  return value as Json;
};
const str = (value: unknown, field: string): string => {
  if (typeof value !== "string" || value === "") throw new ForgePayloadError(`${field} must be a non-empty string`);
  return value;
};
const optText = (value: unknown, field: string): string | null => {
  if (value === null || value === undefined) return null;
  if (typeof value !== "string") throw new ForgePayloadError(`${field} must be a string or null`);
  return value;
};
const num = (value: unknown, field: string): number => {
  if (typeof value !== "number" || !Number.isSafeInteger(value))
    throw new ForgePayloadError(`${field} must be an integer`);
  return value;
};

export function parseDelivery(forge: Forge, event: string, body: unknown): ForgeDelivery {
  if (forge === "gitlab") return parseGitlabDelivery(event, body);
  if (forge === "gitea") return parseGiteaDelivery(event, body);
  return parseGithubDelivery(event, body);
}

/**
 * Gitea sends GitHub's shapes with a few differences: a comment has no API `url` (it is built from
 * the repository's), pull request comments arrive as `issue_comment` with `is_pull`, and reviews as
 * `pull_request_review_*` / `pull_request_comment` with the text in `review.content`.
 */
export function parseGiteaDelivery(event: string, body: unknown): ForgeDelivery {
  const payload = obj(body, "the payload");
  const repository = obj(payload.repository, "repository");
  const repoApi = typeof repository.url === "string" ? repository.url.replace(/\/+$/, "") : "";
  if (event === "issue_comment" && payload.comment !== undefined) {
    const comment = obj(payload.comment, "comment");
    const normalised = {
      ...payload,
      comment: {
        ...comment,
        url:
          typeof comment.url === "string" ? comment.url : `${repoApi}/issues/comments/${num(comment.id, "comment.id")}`,
      },
      issue: { ...obj(payload.issue, "issue"), ...(payload.is_pull === true ? { pull_request: {} } : {}) },
    };
    return parseGithubDelivery("issue_comment", normalised);
  }
  if (/^pull_request_(review_)?(approved|rejected|comment)$/.test(event)) {
    const pull = obj(payload.pull_request, "pull_request");
    const review = payload.review === undefined || payload.review === null ? {} : obj(payload.review, "review");
    const text = optText(review.content, "review.content");
    const url = typeof pull.url === "string" ? pull.url : `${repoApi}/pulls/${num(pull.number, "pull_request.number")}`;
    const items: ContentItem[] = text
      ? [
          {
            type: "pull_request_review",
            details: { pull_request_review_url: url, html_url: str(pull.html_url, "pull_request.html_url") },
            texts: [text],
          },
        ]
      : [];
    return { event, repositoryFullName: str(repository.full_name, "repository.full_name"), items, wikiChanged: false };
  }
  if (event === "pull_request") {
    const pull = obj(payload.pull_request, "pull_request");
    const url = typeof pull.url === "string" ? pull.url : `${repoApi}/pulls/${num(pull.number, "pull_request.number")}`;
    return parseGithubDelivery(event, { ...payload, pull_request: { ...pull, url } });
  }
  if (event === "wiki")
    return {
      event,
      repositoryFullName: str(repository.full_name, "repository.full_name"),
      ...(typeof repository.html_url === "string" ? { repositoryHtmlUrl: repository.html_url } : {}),
      items: [],
      wikiChanged: true,
    };
  return parseGithubDelivery(event, payload);
}

/**
 * GitLab: `Issue Hook`, `Merge Request Hook`, `Note Hook` (and their confidential variants),
 * `Wiki Page Hook`. The repository is `project.path_with_namespace`; an edit's previous text is
 * `changes.<field>.previous`. Location URLs are GitLab's web URLs (`object_attributes.url`).
 */
export function parseGitlabDelivery(event: string, body: unknown): ForgeDelivery {
  const payload = obj(body, "the payload");
  const project = obj(payload.project, "project");
  const repositoryFullName = str(project.path_with_namespace, "project.path_with_namespace");
  const attributes = (): Json => obj(payload.object_attributes, "object_attributes");
  const previous = (field: string): string | null => {
    if (payload.changes === undefined || payload.changes === null) return null;
    const change = obj(payload.changes, "changes")[field];
    if (change === undefined || change === null) return null;
    return optText(obj(change, `changes.${field}`).previous, `changes.${field}.previous`);
  };
  const items: ContentItem[] = [];
  const add = (
    type: ContentLocationType,
    details: ContentLocationDetails,
    now: unknown,
    field: string,
    changeField: string,
  ): void => {
    const texts = [optText(now, field), previous(changeField)].filter((t): t is string => Boolean(t));
    if (texts.length > 0) items.push({ type, details, texts });
  };
  switch (event) {
    case "Issue Hook":
    case "Confidential Issue Hook": {
      const a = attributes();
      const url = str(a.url, "object_attributes.url");
      add("issue_title", { issue_title_url: url, html_url: url }, a.title, "object_attributes.title", "title");
      add(
        "issue_body",
        { issue_body_url: url, html_url: url },
        a.description,
        "object_attributes.description",
        "description",
      );
      break;
    }
    case "Merge Request Hook": {
      const a = attributes();
      const url = str(a.url, "object_attributes.url");
      add(
        "pull_request_title",
        { pull_request_title_url: url, html_url: url },
        a.title,
        "object_attributes.title",
        "title",
      );
      add(
        "pull_request_body",
        { pull_request_body_url: url, html_url: url },
        a.description,
        "object_attributes.description",
        "description",
      );
      break;
    }
    case "Note Hook":
    case "Confidential Note Hook": {
      const a = attributes();
      const url = str(a.url, "object_attributes.url");
      const kind = a.noteable_type;
      // Notes on diffs are review comments; other notes on merge requests are conversation comments.
      const type: ContentLocationType | null =
        kind === "Issue"
          ? "issue_comment"
          : kind === "MergeRequest"
            ? a.position
              ? "pull_request_review_comment"
              : "pull_request_comment"
            : null;
      if (type) add(type, { [`${type}_url`]: url, html_url: url }, a.note, "object_attributes.note", "note");
      break;
    }
    case "Wiki Page Hook":
      return {
        event,
        repositoryFullName,
        ...(typeof project.web_url === "string" ? { repositoryHtmlUrl: project.web_url } : {}),
        items,
        wikiChanged: true,
      };
    default:
      break;
  }
  return { event, repositoryFullName, items, wikiChanged: false };
}
