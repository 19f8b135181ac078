import type { Alert, AlertLocation, CommitLocationDetails, Organization, Repository, ScanRecord, User } from "../alerts/types.js";
import type { ApiUrls } from "./api-env.js";
import { renderWebUrl } from "./web-url-template.js";

/** The one place the alert domain (camelCase) becomes GitHub's JSON (snake_case). */

const iso = (value: string | null): string | null => (value === null ? null : new Date(value).toISOString().replace(/\.\d{3}Z$/, "Z"));

export function formatSimpleUser(user: User, urls: ApiUrls): Record<string, unknown> {
  return {
    name: user.name,
    email: user.email,
    ...formatAccount(user.login, user.id, nodeId("U", user.id), "User", user.siteAdmin, urls),
    user_view_type: "public",
  };
}

export function formatOrganizationOwner(org: Organization, urls: ApiUrls): Record<string, unknown> {
  return formatAccount(org.login, org.id, nodeId("O", org.id), "Organization", false, urls);
}

/** The fields GitHub's `simple-user` shares between users and organizations, with its URL templates. */
function formatAccount(login: string, id: number, node: string, type: "User" | "Organization", siteAdmin: boolean, urls: ApiUrls): Record<string, unknown> {
  const url = `${urls.api}/users/${login}`;
  return {
    login,
    id,
    node_id: node,
    avatar_url: "",
    gravatar_id: "",
    url,
    // Until Vigil has web pages for users, the API object (every URL Vigil hands out resolves).
    html_url: url,
    followers_url: `${url}/followers`,
    following_url: `${url}/following{/other_user}`,
    gists_url: `${url}/gists{/gist_id}`,
    starred_url: `${url}/starred{/owner}{/repo}`,
    subscriptions_url: `${url}/subscriptions`,
    organizations_url: `${url}/orgs`,
    repos_url: `${url}/repos`,
    events_url: `${url}/events{/privacy}`,
    received_events_url: `${url}/received_events`,
    type,
    site_admin: siteAdmin,
  };
}

/** GitHub's `simple-repository`: all 46 fields, URL templates included, so clients that read them work. */
export function formatSimpleRepository(repo: Repository, org: Organization, urls: ApiUrls): Record<string, unknown> {
  const url = `${urls.api}/repos/${repo.fullName}`;
  const templates: Record<string, string> = {
    archive_url: "/{archive_format}{/ref}",
    assignees_url: "/assignees{/user}",
    blobs_url: "/git/blobs{/sha}",
    branches_url: "/branches{/branch}",
    collaborators_url: "/collaborators{/collaborator}",
    comments_url: "/comments{/number}",
    commits_url: "/commits{/sha}",
    compare_url: "/compare/{base}...{head}",
    contents_url: "/contents/{+path}",
    contributors_url: "/contributors",
    deployments_url: "/deployments",
    downloads_url: "/downloads",
    events_url: "/events",
    forks_url: "/forks",
    git_commits_url: "/git/commits{/sha}",
    git_refs_url: "/git/refs{/sha}",
    git_tags_url: "/git/tags{/sha}",
    hooks_url: "/hooks",
    issue_comment_url: "/issues/comments{/number}",
    issue_events_url: "/issues/events{/number}",
    issues_url: "/issues{/number}",
    keys_url: "/keys{/key_id}",
    labels_url: "/labels{/name}",
    languages_url: "/languages",
    merges_url: "/merges",
    milestones_url: "/milestones{/number}",
    notifications_url: "/notifications{?since,all,participating}",
    pulls_url: "/pulls{/number}",
    releases_url: "/releases{/id}",
    stargazers_url: "/stargazers",
    statuses_url: "/statuses/{sha}",
    subscribers_url: "/subscribers",
    subscription_url: "/subscription",
    tags_url: "/tags",
    teams_url: "/teams",
    trees_url: "/git/trees{/sha}",
  };
  return {
    id: repo.id,
    node_id: nodeId("R", repo.id),
    name: repo.name,
    full_name: repo.fullName,
    owner: formatOrganizationOwner(org, urls),
    private: !repo.isPublic,
    // Until Vigil has web pages for repositories, the API object.
    html_url: url,
    description: null,
    fork: false,
    url,
    ...Object.fromEntries(Object.entries(templates).map(([key, suffix]) => [key, url + suffix])),
  };
}

export interface AlertJsonOptions {
  repo: Repository;
  org: Organization;
  urls: ApiUrls;
  users: Map<number, User>;
  hideSecret: boolean;
  /** Organization and enterprise listings add `repository`. */
  withRepository: boolean;
  /** Get and update add `metadata` (GitHub's `-with-metadata` variant). */
  withMetadata: boolean;
}

export function formatAlert(alert: Alert, options: AlertJsonOptions): Record<string, unknown> {
  const { repo, org, urls, users } = options;
  const url = `${urls.api}/repos/${repo.fullName}/secret-scanning/alerts/${alert.number}`;
  const user = (id: number | null): Record<string, unknown> | null => {
    const found = id === null ? undefined : users.get(id);
    return found ? formatSimpleUser(found, urls) : null;
  };
  const json: Record<string, unknown> = {
    number: alert.number,
    created_at: iso(alert.createdAt),
    updated_at: iso(alert.updatedAt),
    url,
    // The alert's web page (`vigil serve`), at GitHub's path.
    html_url: `${urls.web}/${repo.fullName}/security/secret-scanning/${alert.number}`,
    locations_url: `${url}/locations`,
    state: alert.state,
    resolution: alert.resolution,
    resolved_at: iso(alert.resolvedAt),
    resolved_by: user(alert.resolvedBy),
    resolution_comment: alert.resolutionComment,
    secret_type: alert.secretType,
    secret_type_display_name: alert.secretTypeDisplayName,
    provider: alert.provider,
    provider_slug: alert.providerSlug,
  };
  if (!options.hideSecret) json.secret = alert.secret;
  if (options.withRepository) json.repository = formatSimpleRepository(repo, org, urls);
  Object.assign(json, {
    push_protection_bypassed: alert.pushProtectionBypassed,
    push_protection_bypassed_by: user(alert.pushProtectionBypassedBy),
    push_protection_bypassed_at: iso(alert.pushProtectionBypassedAt),
    push_protection_bypass_request_reviewer: null,
    push_protection_bypass_request_reviewer_comment: null,
    push_protection_bypass_request_comment: null,
    push_protection_bypass_request_html_url: null,
    validity: alert.validity,
    publicly_leaked: alert.publiclyLeaked,
    multi_repo: alert.multiRepo,
    is_base64_encoded: alert.isBase64Encoded,
    first_location_detected: alert.firstLocation ? formatLocationDetails(alert.firstLocation, repo, urls) : null,
    has_more_locations: alert.locationCount > 1,
    assigned_to: user(alert.assigneeId),
    closure_request_comment: null,
    closure_request_reviewer_comment: null,
    closure_request_reviewer: null,
  });
  // The token issuer's answer to a partner report (Vigil's metadata key).
  if (options.withMetadata) json.metadata = alert.partnerLabel ? [{ key: "partner_label", value: alert.partnerLabel }] : [];
  return json;
}

/**
 * A location's `details`, with the URLs GitHub adds to commit locations: `blob_url` and `commit_url`
 * are API URLs (Vigil answers them from the mirror); `html_url` is the git server's web view through
 * the repository's link template, or the blob's API URL when it has none.
 * Content locations (`issue_comment`, `pull_request_body`, …) are stored in GitHub's shape already,
 * their URLs pointing at the forge the content lives on.
 */
export function formatLocationDetails(location: AlertLocation, repo: Repository, urls: ApiUrls): Record<string, unknown> {
  if (location.type !== "commit") return { ...location.details };
  const details = location.details as CommitLocationDetails;
  const repoApi = `${urls.api}/repos/${repo.fullName}`;
  return {
    path: details.path,
    start_line: details.startLine,
    end_line: details.endLine,
    start_column: details.startColumn,
    end_column: details.endColumn,
    blob_sha: details.blobSha,
    blob_url: `${repoApi}/git/blobs/${details.blobSha}`,
    commit_sha: details.commitSha,
    commit_url: `${repoApi}/git/commits/${details.commitSha}`,
    html_url: repo.webUrlTemplate
      ? renderWebUrl(repo.webUrlTemplate, {
          owner: repo.fullName.slice(0, repo.fullName.indexOf("/")),
          repo: repo.name,
          commit: details.commitSha,
          path: details.path,
          line: details.startLine,
          endLine: details.endLine,
        })
      : `${repoApi}/git/blobs/${details.blobSha}`,
  };
}

export function formatLocation(location: AlertLocation, repo: Repository, urls: ApiUrls): Record<string, unknown> {
  return { type: location.type, details: formatLocationDetails(location, repo, urls) };
}

export function formatScanHistory(scans: ScanRecord[]): Record<string, unknown> {
  const groups: Record<string, Record<string, unknown>[]> = {
    incremental_scans: [],
    pattern_update_scans: [],
    backfill_scans: [],
    custom_pattern_backfill_scans: [],
    generic_secrets_backfill_scans: [],
  };
  for (const scan of scans) {
    groups[`${scan.kind}_scans`]?.push({
      type: scan.type,
      status: scan.status,
      completed_at: iso(scan.completedAt),
      started_at: iso(scan.startedAt),
      // Vigil's field: why a failed scan failed (git's message for a mirror that could not be fetched).
      failure_reason: scan.status === "failed" ? scan.error : null,
    });
  }
  return groups;
}

function nodeId(kind: string, id: number): string {
  return Buffer.from(`${kind}_${id}`).toString("base64url");
}
