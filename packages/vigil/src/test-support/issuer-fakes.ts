import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { signSigV4 } from "../validity/sigv4.js";

/** What a fake issuer saw: path, headers and body (to read the credential where the real API reads it). */
export interface FakeRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: string;
}

interface Answer {
  status: number;
  body: unknown;
}

/**
 * A local stand-in for one issuer's documented endpoint: where it reads the credential and how it
 * answers a live one and a revoked (or unknown) one. Any other method or path is 404.
 */
export interface IssuerFake {
  method: string;
  path: string;
  credential: (req: FakeRequest) => string | undefined;
  active: Answer;
  revoked: Answer;
  /** Pairs: the fake checks both halves (AWS: the signature made with the secret key). */
  verifyPair?: (req: FakeRequest, secret: string, pair: string) => boolean;
}

const authorization = (req: FakeRequest): string => String(req.headers.authorization ?? "");
const scheme = (name: string) => (req: FakeRequest) => new RegExp(`^${name} (.+)$`).exec(authorization(req))?.[1];
const bearer = scheme("Bearer");
const header = (name: string) => (req: FakeRequest) => {
  const v = req.headers[name.toLowerCase()];
  return typeof v === "string" ? v : undefined;
};
const basic = (part: 0 | 1, user?: string) => (req: FakeRequest) => {
  const encoded = scheme("Basic")(req);
  if (!encoded) return undefined;
  const text = Buffer.from(encoded, "base64").toString("utf8");
  const i = text.indexOf(":");
  if (user !== undefined && text.slice(0, i) !== user) return undefined;
  return part === 0 ? text.slice(0, i) : text.slice(i + 1);
};
const raw = (req: FakeRequest) => authorization(req) || undefined;
const ok200 = (body: unknown = {}): Answer => ({ status: 200, body });
const err = (status: number, body: unknown = { message: "Unauthorized" }): Answer => ({ status, body });

const githubUser: IssuerFake = {
  method: "GET",
  path: "/user",
  credential: bearer,
  active: ok200({ login: "octocat", id: 1 }),
  revoked: err(401, { message: "Bad credentials", documentation_url: "https://docs.github.com/rest" }),
};
const doAccount: IssuerFake = {
  method: "GET",
  path: "/v2/account",
  credential: bearer,
  active: ok200({ account: { uuid: "u1", status: "active" } }),
  revoked: err(401, { id: "unauthorized", message: "Unable to authenticate you" }),
};
const dopplerMe: IssuerFake = {
  method: "GET",
  path: "/v3/me",
  credential: bearer,
  active: ok200({ success: true, type: "personal" }),
  revoked: err(401, { messages: ["Invalid Auth token"], success: false }),
};
const sentryOrgs: IssuerFake = {
  method: "GET",
  path: "/api/0/organizations/",
  credential: bearer,
  active: ok200([]),
  revoked: err(401, { detail: "Invalid token" }),
};
const notionMe: IssuerFake = {
  method: "GET",
  path: "/v1/users/me",
  credential: (req) => (req.headers["notion-version"] ? bearer(req) : undefined),
  active: ok200({ object: "user", type: "bot" }),
  revoked: err(401, { object: "error", status: 401, code: "unauthorized", message: "API token is invalid." }),
};
const dropboxAccount: IssuerFake = {
  method: "POST",
  path: "/2/users/get_current_account",
  credential: bearer,
  active: ok200({ account_id: "dbid:1" }),
  revoked: err(401, { error_summary: "invalid_access_token/..", error: { ".tag": "invalid_access_token" } }),
};
const stripeBalance: IssuerFake = {
  method: "GET",
  path: "/v1/balance",
  credential: basic(0),
  active: ok200({ object: "balance", available: [] }),
  revoked: err(401, { error: { message: "Invalid API Key provided: sk_live_****", type: "invalid_request_error" } }),
};

/**
 * One fake per checked secret type, each answering as the issuer's documentation says (see the
 * `docs` link of the check document).
 */
export const ISSUER_FAKES: Record<string, IssuerFake> = {
  aws_access_key_id: {
    method: "POST",
    path: "/",
    credential: (req) => /Credential=([^/]+)\//.exec(authorization(req))?.[1],
    verifyPair: (req, secret, pair) => {
      const headers: Record<string, string> = {};
      const signed = /SignedHeaders=([^,]+)/.exec(authorization(req))?.[1]?.split(";") ?? [];
      for (const name of signed)
        headers[name] = name === "host" ? "sts.amazonaws.com" : String(req.headers[name] ?? "");
      const amzDate = String(req.headers["x-amz-date"] ?? "");
      const at = new Date(
        `${amzDate.slice(0, 4)}-${amzDate.slice(4, 6)}-${amzDate.slice(6, 8)}T${amzDate.slice(9, 11)}:${amzDate.slice(11, 13)}:${amzDate.slice(13, 15)}Z`,
      );
      delete headers["x-amz-date"];
      const expected = signSigV4(
        { method: req.method, url: `https://sts.amazonaws.com${req.path}`, headers, body: req.body },
        { accessKeyId: secret, secretAccessKey: pair, region: "us-east-1", service: "sts" },
        at,
      );
      return (
        expected.authorization === authorization(req) &&
        new URLSearchParams(req.body).get("Action") === "GetCallerIdentity"
      );
    },
    active: ok200(
      '<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><GetCallerIdentityResult><Arn>arn:aws:iam::123456789012:user/ci</Arn><UserId>AIDAEXAMPLE</UserId><Account>123456789012</Account></GetCallerIdentityResult></GetCallerIdentityResponse>',
    ),
    revoked: err(
      403,
      "<ErrorResponse><Error><Type>Sender</Type><Code>InvalidClientTokenId</Code><Message>The security token included in the request is invalid.</Message></Error></ErrorResponse>",
    ),
  },
  github_personal_access_token: githubUser,
  github_oauth_access_token: githubUser,
  github_app_installation_access_token: {
    method: "GET",
    path: "/installation/repositories",
    credential: bearer,
    active: ok200({ total_count: 1, repositories: [] }),
    revoked: githubUser.revoked,
  },
  gitlab_access_token: {
    method: "GET",
    path: "/api/v4/personal_access_tokens/self",
    credential: header("PRIVATE-TOKEN"),
    active: ok200({ id: 1, active: true, revoked: false }),
    revoked: err(401, { message: "401 Unauthorized" }),
  },
  azure_devops_personal_access_token: {
    method: "GET",
    path: "/_apis/profile/profiles/me",
    credential: basic(1),
    active: ok200({ id: "p1", displayName: "ci" }),
    revoked: err(401, ""),
  },
  digitalocean_personal_access_token: doAccount,
  digitalocean_oauth_token: doAccount,
  heroku_platform_api_oauth2_token: {
    method: "GET",
    path: "/account",
    credential: (req) => (String(req.headers.accept).includes("vnd.heroku+json; version=3") ? bearer(req) : undefined),
    active: ok200({ email: "ci@example.com", id: "u1" }),
    revoked: err(401, { id: "unauthorized", message: "Invalid credentials provided." }),
  },
  cloudflare_user_api_token: {
    method: "GET",
    path: "/client/v4/user/tokens/verify",
    credential: bearer,
    active: ok200({
      success: true,
      errors: [],
      messages: [{ code: 10000, message: "This API Token is valid and active" }],
      result: { id: "t1", status: "active" },
    }),
    revoked: err(401, {
      success: false,
      errors: [{ code: 1000, message: "Invalid API Token" }],
      messages: [],
      result: null,
    }),
  },
  linode_api_token: {
    method: "GET",
    path: "/v4/profile",
    credential: bearer,
    active: ok200({ username: "ci" }),
    revoked: err(401, { errors: [{ reason: "Invalid Token" }] }),
  },
  vultr_api_key: {
    method: "GET",
    path: "/v2/account",
    credential: bearer,
    active: ok200({ account: { name: "ci" } }),
    revoked: err(401, { error: "Invalid API token.", status: 401 }),
  },
  render_api_key: {
    method: "GET",
    path: "/v1/owners",
    credential: bearer,
    active: ok200([]),
    revoked: err(401, { id: "unauthorized", message: "Unauthorized" }),
  },
  vercel_personal_access_token: {
    method: "GET",
    path: "/v2/user",
    credential: bearer,
    active: ok200({ user: { id: "u1" } }),
    revoked: err(403, { error: { code: "forbidden", message: "Not authorized", invalidToken: true } }),
  },
  netlify_personal_access_token: {
    method: "GET",
    path: "/api/v1/user",
    credential: bearer,
    active: ok200({ id: "u1" }),
    revoked: err(401, { code: 401, message: "Access Denied" }),
  },
  supabase_personal_access_token: {
    method: "GET",
    path: "/v1/projects",
    credential: bearer,
    active: ok200([]),
    revoked: err(401, { message: "Unauthorized" }),
  },
  pulumi_access_token: {
    method: "GET",
    path: "/api/user",
    credential: scheme("token"),
    active: ok200({ githubLogin: "ci" }),
    revoked: err(401, { code: 401, message: "Unauthorized: No credentials provided or are invalid." }),
  },
  terraform_api_token: {
    method: "GET",
    path: "/api/v2/account/details",
    credential: bearer,
    active: ok200({ data: { id: "user-1", type: "users" } }),
    revoked: err(401, { errors: [{ status: "401", title: "unauthorized" }] }),
  },
  doppler_personal_token: dopplerMe,
  doppler_service_token: dopplerMe,
  doppler_cli_token: dopplerMe,
  doppler_service_account_token: dopplerMe,
  circleci_personal_access_token: {
    method: "GET",
    path: "/api/v2/me",
    credential: header("Circle-Token"),
    active: ok200({ id: "u1", login: "ci" }),
    revoked: err(401, { message: "You must log in first." }),
  },
  travis_ci_api_token: {
    method: "GET",
    path: "/user",
    credential: (req) => (req.headers["travis-api-version"] === "3" ? scheme("token")(req) : undefined),
    active: ok200({ "@type": "user", login: "ci" }),
    revoked: err(403, { "@type": "error", error_type: "login_required", error_message: "login required" }),
  },
  buildkite_user_access_token: {
    method: "GET",
    path: "/v2/access-token",
    credential: bearer,
    active: ok200({ uuid: "t1", scopes: [] }),
    revoked: err(401, { message: "Authentication required. Please supply a valid API Access Token" }),
  },
  snyk_api_token: {
    method: "GET",
    path: "/rest/self",
    credential: scheme("token"),
    active: ok200({ data: { id: "u1", type: "user" } }),
    revoked: err(401, { errors: [{ status: "401", detail: "Unauthorized" }] }),
  },
  sentry_personal_token: sentryOrgs,
  sentry_user_app_auth_token: sentryOrgs,
  postman_api_key: {
    method: "GET",
    path: "/me",
    credential: header("X-API-Key"),
    active: ok200({ user: { id: 1 } }),
    revoked: err(401, {
      error: {
        name: "AuthenticationError",
        message: "Invalid API Key. Every request requires a valid API Key to be sent.",
      },
    }),
  },
  launchdarkly_access_token: {
    method: "GET",
    path: "/api/v2/caller-identity",
    credential: raw,
    active: ok200({ accountId: "a1", tokenKind: "personal" }),
    revoked: err(401, { code: "unauthorized", message: "Invalid account ID header" }),
  },
  slack_api_token: {
    method: "POST",
    path: "/api/auth.test",
    credential: bearer,
    active: ok200({ ok: true, url: "https://example.slack.com/", team: "Example", user: "ci" }),
    revoked: ok200({ ok: false, error: "token_revoked" }),
  },
  discord_bot_token: {
    method: "GET",
    path: "/api/v10/users/@me",
    credential: scheme("Bot"),
    active: ok200({ id: "1", username: "bot", bot: true }),
    revoked: err(401, { message: "401: Unauthorized", code: 0 }),
  },
  telegram_bot_token: {
    method: "GET",
    path: "/bot*/getMe",
    credential: (req) => /^\/bot(.+)\/getMe$/.exec(decodeURIComponent(req.path.split("?")[0]!))?.[1],
    active: ok200({ ok: true, result: { id: 1, is_bot: true, username: "ci_bot" } }),
    revoked: err(401, { ok: false, error_code: 401, description: "Unauthorized" }),
  },
  webex_api_token: {
    method: "GET",
    path: "/v1/people/me",
    credential: bearer,
    active: ok200({ id: "p1" }),
    revoked: err(401, {
      message: "The request requires a valid access token set in the Authorization request header.",
    }),
  },
  intercom_access_token: {
    method: "GET",
    path: "/me",
    credential: bearer,
    active: ok200({ type: "admin", id: "1" }),
    revoked: err(401, { type: "error.list", errors: [{ code: "token_not_found", message: "Token not found" }] }),
  },
  notion_api_token: notionMe,
  notion_integration_token: notionMe,
  linear_api_key: {
    method: "POST",
    path: "/graphql",
    credential: (req) => (req.body.includes("viewer") ? raw(req) : undefined),
    active: ok200({ data: { viewer: { id: "u1" } } }),
    revoked: err(400, {
      errors: [{ message: "Authentication required, not authenticated", extensions: { code: "AUTHENTICATION_ERROR" } }],
    }),
  },
  airtable_personal_access_token: {
    method: "GET",
    path: "/v0/meta/whoami",
    credential: bearer,
    active: ok200({ id: "usr1", scopes: [] }),
    revoked: err(401, { error: { type: "AUTHENTICATION_REQUIRED", message: "Authentication required" } }),
  },
  asana_personal_access_token: {
    method: "GET",
    path: "/api/1.0/users/me",
    credential: bearer,
    active: ok200({ data: { gid: "1" } }),
    revoked: err(401, { errors: [{ message: "Not Authorized" }] }),
  },
  figma_pat: {
    method: "GET",
    path: "/v1/me",
    credential: header("X-Figma-Token"),
    active: ok200({ id: "1", handle: "ci" }),
    revoked: err(403, { status: 403, err: "Invalid token" }),
  },
  dropbox_access_token: dropboxAccount,
  dropbox_short_lived_access_token: dropboxAccount,
  hubspot_private_apps_user_token: {
    method: "GET",
    path: "/account-info/v3/details",
    credential: bearer,
    active: ok200({ portalId: 1 }),
    revoked: err(401, { status: "error", category: "INVALID_AUTHENTICATION" }),
  },
  stripe_api_key: stripeBalance,
  stripe_test_secret_key: stripeBalance,
  // A restricted key without the balance permission: authenticated, then forbidden.
  stripe_live_restricted_key: {
    ...stripeBalance,
    active: err(403, {
      error: {
        message: "The provided key 'rk_live_****' does not have the required permissions",
        type: "invalid_request_error",
      },
    }),
  },
  stripe_test_restricted_key: stripeBalance,
  square_access_token: {
    method: "GET",
    path: "/v2/locations",
    credential: bearer,
    active: ok200({ locations: [] }),
    revoked: err(401, {
      errors: [
        { category: "AUTHENTICATION_ERROR", code: "UNAUTHORIZED", detail: "This request could not be authorized." },
      ],
    }),
  },
  sendgrid_api_key: {
    method: "GET",
    path: "/v3/scopes",
    credential: bearer,
    active: ok200({ scopes: ["mail.send"] }),
    revoked: err(401, { errors: [{ field: null, message: "authorization required" }] }),
  },
  mailgun_api_key: {
    method: "GET",
    path: "/v3/domains",
    credential: basic(1, "api"),
    active: ok200({ total_count: 0, items: [] }),
    revoked: err(401, "Forbidden"),
  },
  sendinblue_api_key: {
    method: "GET",
    path: "/v3/account",
    credential: header("api-key"),
    active: ok200({ email: "ci@example.com" }),
    revoked: err(401, { code: "unauthorized", message: "Key not found" }),
  },
  postmark_api_token: {
    method: "GET",
    path: "/server",
    credential: header("X-Postmark-Server-Token"),
    active: ok200({ ID: 1, Name: "ci" }),
    revoked: err(401, { ErrorCode: 10, Message: "Request does not contain a valid Server token." }),
  },
  npm_access_token: {
    method: "GET",
    path: "/-/whoami",
    credential: bearer,
    active: ok200({ username: "ci" }),
    revoked: err(401, { error: "You must be logged in to perform this action" }),
  },
  rubygems_api_key: {
    method: "GET",
    path: "/api/v1/gems.json",
    credential: raw,
    active: ok200([]),
    revoked: err(401, "Access Denied. Please sign up for an account at https://rubygems.org"),
  },
  cratesio_api_token: {
    method: "GET",
    path: "/api/v1/me",
    credential: (req) => (req.headers["user-agent"]?.includes("vigil") ? raw(req) : undefined),
    active: ok200({ user: { login: "ci" } }),
    revoked: err(403, { errors: [{ detail: "must be logged in to perform that action" }] }),
  },
  openai_api_key: {
    method: "GET",
    path: "/v1/models",
    credential: bearer,
    active: ok200({ object: "list", data: [] }),
    revoked: err(401, {
      error: {
        message: "Incorrect API key provided",
        type: "invalid_request_error",
        param: null,
        code: "invalid_api_key",
      },
    }),
  },
  anthropic_api_key: {
    method: "GET",
    path: "/v1/models",
    credential: (req) => (req.headers["anthropic-version"] ? header("x-api-key")(req) : undefined),
    active: ok200({ data: [], has_more: false }),
    revoked: err(401, { type: "error", error: { type: "authentication_error", message: "invalid x-api-key" } }),
  },
  anthropic_admin_api_key: {
    method: "GET",
    path: "/v1/organizations/users",
    credential: (req) => (req.headers["anthropic-version"] ? header("x-api-key")(req) : undefined),
    active: ok200({ data: [], has_more: false }),
    revoked: err(401, { type: "error", error: { type: "authentication_error", message: "invalid x-api-key" } }),
  },
  groq_api_key: {
    method: "GET",
    path: "/openai/v1/models",
    credential: bearer,
    active: ok200({ object: "list", data: [] }),
    revoked: err(401, {
      error: { message: "Invalid API Key", type: "invalid_request_error", code: "invalid_api_key" },
    }),
  },
  mistral_ai_api_key: {
    method: "GET",
    path: "/v1/models",
    credential: bearer,
    active: ok200({ object: "list", data: [] }),
    revoked: err(401, { message: "Unauthorized", request_id: "r1" }),
  },
  cohere_api_key: {
    method: "POST",
    path: "/v1/check-api-key",
    credential: bearer,
    active: ok200({ valid: true, organization_id: "o1" }),
    revoked: ok200({ valid: false }),
  },
  deepseek_api_key: {
    method: "GET",
    path: "/user/balance",
    credential: bearer,
    active: ok200({ is_available: true, balance_infos: [] }),
    revoked: err(401, {
      error: { message: "Authentication Fails, Your api key is invalid", type: "authentication_error" },
    }),
  },
  xai_api_key: {
    method: "GET",
    path: "/v1/api-key",
    credential: bearer,
    active: ok200({ api_key_id: "k1", api_key_blocked: false, api_key_disabled: false }),
    revoked: err(400, { code: "Client specified an invalid argument", error: "Incorrect API key provided" }),
  },
  replicate_api_token: {
    method: "GET",
    path: "/v1/account",
    credential: bearer,
    active: ok200({ type: "user", username: "ci" }),
    revoked: err(401, {
      title: "Unauthenticated",
      detail: "You did not pass a valid authentication token",
      status: 401,
    }),
  },
  elevenlabs_api_key: {
    method: "GET",
    path: "/v1/user",
    credential: header("xi-api-key"),
    active: ok200({ user_id: "u1" }),
    revoked: err(401, { detail: { status: "invalid_api_key", message: "Invalid API key" } }),
  },
  deepgram_api_key: {
    method: "GET",
    path: "/v1/projects",
    credential: scheme("Token"),
    active: ok200({ projects: [] }),
    revoked: err(401, { err_code: "INVALID_AUTH", err_msg: "Invalid credentials." }),
  },
  assemblyai_api_key: {
    method: "GET",
    path: "/v2/transcript",
    credential: raw,
    active: ok200({ transcripts: [] }),
    revoked: err(401, { error: "Authentication error, API token missing/invalid" }),
  },
  pinecone_api_key: {
    method: "GET",
    path: "/indexes",
    credential: header("Api-Key"),
    active: ok200({ indexes: [] }),
    revoked: err(401, { error: { code: "UNAUTHENTICATED", message: "Invalid API Key" }, status: 401 }),
  },
};

export interface RunningFake {
  origin: string;
  /** Requests the fake received, in order. */
  requests: FakeRequest[];
  close(): Promise<void>;
}

/**
 * Serves fakes on a loopback port: each request goes to the fake whose method and path match, and
 * answers active only for the credential in `live` (with its pair, for pairs). `faults` answers the
 * next n requests with that status first (429 or 5xx, to exercise backoff).
 */
export async function startIssuerFakes(
  fakes: IssuerFake[],
  live: { secret: string; pair?: string }[],
  options: { faults?: { status: number; count: number; retryAfter?: string } } = {},
): Promise<RunningFake> {
  const requests: FakeRequest[] = [];
  let faultsLeft = options.faults?.count ?? 0;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const url = new URL(req.url ?? "/", "http://fake");
      const seen: FakeRequest = {
        method: req.method ?? "GET",
        path: url.pathname + url.search,
        query: url.searchParams,
        headers: req.headers,
        body: Buffer.concat(chunks).toString("utf8"),
      };
      requests.push(seen);
      const send = (answer: Answer): void => {
        const text = typeof answer.body === "string" ? answer.body : JSON.stringify(answer.body);
        res
          .writeHead(answer.status, {
            "content-type": typeof answer.body === "string" ? "text/plain" : "application/json",
          })
          .end(text);
      };
      if (faultsLeft > 0) {
        faultsLeft--;
        res
          .writeHead(
            options.faults!.status,
            options.faults!.retryAfter ? { "retry-after": options.faults!.retryAfter } : {},
          )
          .end("slow down");
        return;
      }
      const pathMatches = (pattern: string): boolean =>
        pattern.includes("*")
          ? new RegExp(
              `^${pattern
                .split("*")
                .map((s) => s.replace(/[.+?^${}()|[\]\\]/g, "\\$&"))
                .join("[^/]+")}$`,
            ).test(url.pathname)
          : pattern === url.pathname;
      const fake = fakes.find((f) => f.method === seen.method && pathMatches(f.path));
      if (!fake) return send({ status: 404, body: { message: "Not Found" } });
      const credential = fake.credential(seen);
      const match = live.find((l) => l.secret === credential);
      const isLive = match !== undefined && (!fake.verifyPair || fake.verifyPair(seen, match.secret, match.pair ?? ""));
      send(isLive ? fake.active : fake.revoked);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
