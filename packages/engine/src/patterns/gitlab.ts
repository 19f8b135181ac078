import type { ExampleRandom } from "../example-random.js";
import type { PatternDefinition } from "../pattern.js";

const provider = "GitLab";
const AFTER = "\\z|[^A-Za-z0-9_-]";
/** Routable tokens (GitLab 17.x+): a base64url payload, `.`, a 2-character version and a 7-character base36 CRC. */
const ROUTABLE = "[A-Za-z0-9_-]{27,300}\\.[0-9a-z]{2}[0-9a-z]{7}";

interface GitlabToken {
  id: string;
  name: string;
  prefix: string;
  /** The legacy body after the prefix. */
  body: string;
  /** Example body. */
  sample: (r: ExampleRandom) => string;
  env: string;
  pushProtection: boolean;
  routable?: boolean;
}

function gitlabToken(t: GitlabToken): PatternDefinition {
  const escaped = t.prefix.replace(/\./g, "\\.");
  return {
    id: t.id,
    name: t.name,
    provider,
    regex: t.routable === false ? `${escaped}${t.body}` : `${escaped}(?:${ROUTABLE}|${t.body})`,
    after: AFTER,
    keywords: [t.prefix],
    minEntropy: 3,
    confidence: "high",
    category: "provider",
    pushProtection: t.pushProtection,
    examples: {
      positive: [(r) => `${t.env}=${t.prefix}${t.sample(r)}`, (r) => `token: "${t.prefix}${t.sample(r)}"`],
      negative: [
        { text: (r) => `${t.prefix}${r.alnum(8)}`, reason: "too short" },
        { text: `${t.prefix}xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx`.slice(0, t.prefix.length + 20), reason: "placeholder" },
      ],
    },
  };
}

export const gitlabPatterns: PatternDefinition[] = [
  {
    ...gitlabToken({
      id: "gitlab_access_token",
      name: "GitLab Access Token",
      prefix: "glpat-",
      body: "[A-Za-z0-9_-]{20}",
      sample: (r) => r.base64url(20),
      env: "GITLAB_TOKEN",
      pushProtection: true,
    }),
    validityCheck: true,
    base64: true,
    examples: {
      positive: [
        (r) => `GITLAB_TOKEN=glpat-${r.base64url(20)}`,
        (r) => `export CI_API_TOKEN="glpat-${r.base64url(36)}.01${r.lowerAlnum(7)}"`,
        (r) => `git clone https://oauth2:glpat-${r.alnum(20)}@gitlab.com/group/project.git`,
      ],
      negative: [
        { text: "glpat-XXXXXXXXXXX-XXXXXXXX", reason: "placeholder" },
        { text: (r) => `glpat-${r.alnum(12)}`, reason: "too short" },
        { text: (r) => `glpat-${r.alnum(24)}`, reason: "a legacy token is exactly 20 characters" },
      ],
    },
  },
  gitlabToken({
    id: "gitlab_ci_build_token",
    name: "GitLab CI/CD Job Token",
    prefix: "glcbt-",
    // A partition id, `_`, 20 characters.
    body: "[0-9a-zA-Z]{1,5}_[A-Za-z0-9_-]{20}",
    sample: (r) => `${r.digits(2)}_${r.base64url(20)}`,
    env: "CI_JOB_TOKEN",
    pushProtection: true,
  }),
  gitlabToken({
    id: "gitlab_deploy_token",
    name: "GitLab Deploy Token",
    prefix: "gldt-",
    body: "[A-Za-z0-9_-]{20}",
    sample: (r) => r.base64url(20),
    env: "DEPLOY_TOKEN",
    pushProtection: false,
  }),
  gitlabToken({
    id: "gitlab_feature_flag_client_token",
    name: "GitLab Feature Flag Client Token",
    prefix: "glffct-",
    body: "[A-Za-z0-9_-]{20}",
    sample: (r) => r.base64url(20),
    env: "UNLEASH_INSTANCE_ID",
    pushProtection: true,
  }),
  gitlabToken({
    id: "gitlab_feed_token_v2",
    name: "GitLab Feed Token",
    prefix: "glft-",
    body: "[A-Za-z0-9_-]{20}",
    sample: (r) => r.base64url(20),
    env: "GITLAB_FEED_TOKEN",
    pushProtection: true,
  }),
  gitlabToken({
    id: "gitlab_incoming_email_token",
    name: "GitLab Incoming Mail Token",
    prefix: "glimt-",
    body: "[A-Za-z0-9_-]{25}",
    sample: (r) => r.base64url(25),
    env: "INCOMING_EMAIL_TOKEN",
    pushProtection: true,
  }),
  gitlabToken({
    id: "gitlab_kubernetes_agent_token",
    name: "GitLab Agent for Kubernetes Token",
    prefix: "glagent-",
    body: "[A-Za-z0-9_-]{50}",
    sample: (r) => r.base64url(50),
    env: "AGENT_TOKEN",
    pushProtection: true,
  }),
  gitlabToken({
    id: "gitlab_oauth_app_secret",
    name: "GitLab OAuth Application Secret",
    prefix: "gloas-",
    body: "[A-Za-z0-9_-]{64}",
    sample: (r) => r.base64url(64),
    env: "GITLAB_OAUTH_SECRET",
    pushProtection: true,
  }),
  gitlabToken({
    id: "gitlab_pipeline_trigger_token",
    name: "GitLab Pipeline Trigger Token",
    prefix: "glptt-",
    // 40 hex (current) or 20 characters (older tokens).
    body: "(?:[a-f0-9]{40}|[A-Za-z0-9_-]{20})",
    sample: (r) => r.hex(40),
    env: "TRIGGER_TOKEN",
    pushProtection: false,
    routable: false,
  }),
  gitlabToken({
    id: "gitlab_runner_auth_token",
    name: "GitLab Runner Authentication Token",
    prefix: "glrt-",
    body: "[A-Za-z0-9_-]{20}",
    sample: (r) => r.base64url(20),
    env: "RUNNER_TOKEN",
    pushProtection: true,
  }),
  gitlabToken({
    id: "gitlab_runner_registration_token",
    name: "GitLab Runner Registration Token",
    prefix: "GR1348941",
    body: "[A-Za-z0-9_-]{20}",
    sample: (r) => r.base64url(20),
    env: "REGISTRATION_TOKEN",
    pushProtection: true,
    routable: false,
  }),
  gitlabToken({
    id: "gitlab_scim_oauth_token",
    name: "GitLab SCIM Token",
    prefix: "glsoat-",
    body: "[A-Za-z0-9_-]{20}",
    sample: (r) => r.base64url(20),
    env: "SCIM_TOKEN",
    pushProtection: true,
  }),
];
