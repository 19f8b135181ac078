import type { PatternDefinition } from "../pattern.js";

const provider = "Generic";

/** Passwords that documentation uses; a URI with one of these is an example. */
const EXAMPLE_PASSWORDS = "(?i)^[a-z+]+://[^:/]*:(?:password|passwd|pass|pwd|secret|example|test|changeme|root|admin|user|\\*+)@";

/**
 * Credentials that are no secret: a password that names itself (`somepassword`, `mysecretpassword`,
 * `example`), a password equal to the user name (the defaults `postgres:postgres`, `guest:guest`),
 * anonymous access, where by convention any password is accepted, and placeholders: a variable
 * (`$DEV_TOKEN`, `%PASSWORD%`) or an upper-case word (`USER:TOKEN@HOST`).
 */
export function hasSecretCredentials(uri: string): boolean {
  const m = /^[A-Za-z0-9+.-]+:\/\/([^:/]*):([^@]*)@/.exec(uri);
  if (!m) return false;
  if (/^(?:\$\{?[A-Za-z_]\w*\}?|%\w+%|[A-Z_]{3,})$/.test(m[2]!)) return false;
  const user = m[1]!.toLowerCase();
  const password = m[2]!.toLowerCase();
  if (user === "anonymous") return false;
  if (password === user) return false;
  return !/passw(?:or)?d|example|changeme/.test(password);
}

/** SQLAlchemy's `dialect+driver://` (`postgresql+psycopg2://`, `mysql+pymysql://`). */
const DRIVER = "\\+[a-z0-9]+";

function uriWithPassword(
  id: string,
  name: string,
  schemes: string[],
  examples: PatternDefinition["examples"],
): PatternDefinition {
  return {
    id,
    name,
    provider,
    // user:password@host — the whole URI is the secret, as GitHub reports it.
    regex: `(?:${schemes.join("|")})://[A-Za-z0-9._~%!$&*+;=-]+:[^\\s@/'"\`<>]{3,128}@[A-Za-z0-9._-]+(?::[0-9]{1,5})?(?:/[A-Za-z0-9._~%-]*)?`,
    ignoreCase: true,
    // A scheme with a driver (`postgresql+psycopg2://`, SQLAlchemy's) is found by `postgresql+`.
    keywords: schemes.map((s) => (s.endsWith(DRIVER) ? `${s.slice(0, -DRIVER.length)}+` : `${s.replace(/\\/g, "")}://`)),
    // The URI starts at its scheme: nothing before the keyword belongs to it.
    window: { before: 0, after: 256 },
    mustNotMatch: [EXAMPLE_PASSWORDS],
    validate: hasSecretCredentials,
    confidence: "low",
    category: "generic",
    pushProtection: false,
    examples,
  };
}

export const connectionStringPatterns: PatternDefinition[] = [
  uriWithPassword("http_basic_authentication_url", "HTTP Basic Authentication URL", ["https", "http"], {
    positive: [(r) => `git clone https://deploy:${r.alnum(20)}@git.corp-internal.net/team/app.git`],
    negative: [
      { text: "https://user:password@example.com/", reason: "documentation's example password" },
      { text: "https://example.com/path?q=a:b@c", reason: "no credentials before the host" },
      { text: "http://${USER}:${PASS}@proxy.local:3128", reason: "variables, not values" },
      { text: "https://anonymous:k4v9q2@mirror.example.org/pub/", reason: "anonymous access: any password is accepted" },
      { text: "git clone http://dev:$DEV_TOKEN@127.0.0.1:8080/acme/app.git", reason: "a shell variable" },
      { text: "git clone http://USER:TOKEN@HOST:8080/acme/app.git", reason: "upper-case placeholders" },
    ],
  }),
  uriWithPassword("mongodb_connection_string", "MongoDB Connection String", ["mongodb\\+srv", "mongodb"], {
    positive: [(r) => `MONGO_URL=mongodb://app:${r.alnum(16)}@mongo-1.db.internal:27017/prod`],
    negative: [{ text: "mongodb://localhost:27017/test", reason: "no password" }],
  }),
  uriWithPassword("mysql_connection_string", "MySQL Connection String", [`mysql${DRIVER}`, `mariadb${DRIVER}`, "mysqlx", "mysql", "mariadb"], {
    positive: [
      (r) => `DATABASE_URL="mysql://app:${r.alnum(14)}@db.internal:3306/shop"`,
      (r) => `engine = create_engine("mysql+pymysql://app:${r.alnum(14)}@db.internal/shop")`,
      (r) => `url: mariadb://app:${r.alnum(14)}@10.0.0.9:3306/shop`,
    ],
    negative: [{ text: "mysql://root:root@localhost/db", reason: "example password" }],
  }),
  uriWithPassword("postgres_connection_string", "PostgreSQL Connection String", [`postgresql${DRIVER}`, "postgresql", "postgres"], {
    positive: [
      (r) => `db: postgres://svc_api:${r.alnum(18)}@10.0.3.7:5432/orders`,
      (r) => `SQLALCHEMY_DATABASE_URI = "postgresql+psycopg2://svc_api:${r.alnum(18)}@db.internal/orders"`,
      (r) => `DB=postgresql://svc:${r.alnum(10)}%40${r.alnum(4)}@db1.internal:5432,db2.internal:5432/orders`,
    ],
    negative: [
      { text: "postgres://postgres:<password>@localhost:5432/postgres", reason: "placeholder" },
      { text: "DATABASE_URL=postgres://postgres:postgres@localhost:5432/app", reason: "the password is the user name: the image's default" },
      { text: "postgresql://app_user:mysecretpassword@db.local:5432/app", reason: "the password names itself, a documentation example" },
    ],
  }),
];

export const httpHeaderPatterns: PatternDefinition[] = [
  {
    id: "http_basic_authentication_header",
    name: "HTTP Basic Authentication Header",
    provider,
    regex: "[A-Za-z0-9+/]{8,}={0,2}",
    before: "(?i)authorization:\\s*basic\\s+|(?i)\\bbasic\\s+",
    after: "\\z|[^A-Za-z0-9+/=]",
    keywords: ["basic "],
    validate: (secret) => {
      const decoded = Buffer.from(secret, "base64").toString("utf8");
      return /^[\x21-\x7e][\x20-\x7e]*:[\x20-\x7e]{3,}$/.test(decoded) && !/:(?:password|pass|secret)$/i.test(decoded);
    },
    minEntropy: 3,
    confidence: "low",
    category: "generic",
    pushProtection: false,
    examples: {
      positive: [(r) => `curl -H "Authorization: Basic ${Buffer.from(`deploy:${r.alnum(16)}`).toString("base64")}" https://ci.local`],
      negative: [
        { text: "Authorization: Basic dXNlcjpwYXNzd29yZA==", reason: "decodes to user:password, an example" },
        { text: "This is a basic introduction to the API", reason: "prose" },
      ],
    },
  },
  {
    id: "http_bearer_authentication_header",
    name: "HTTP Bearer Authentication Header",
    provider,
    regex: "[A-Za-z0-9._~+/-]{20,}=*",
    before: "(?i)authorization:\\s*bearer\\s+",
    after: "\\z|[^A-Za-z0-9._~+/=-]",
    keywords: ["bearer "],
    mustMatch: ["[0-9]", "[A-Za-z]"],
    minEntropy: 3.5,
    confidence: "low",
    category: "generic",
    pushProtection: false,
    examples: {
      positive: [(r) => `-H 'Authorization: Bearer ${r.alnum(40)}'`],
      negative: [
        { text: "Authorization: Bearer $TOKEN", reason: "a variable" },
        { text: "Authorization: Bearer <your-access-token-here>", reason: "placeholder" },
      ],
    },
  },
];
