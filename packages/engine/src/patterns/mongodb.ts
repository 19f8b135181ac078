import type { PatternDefinition } from "../pattern.js";

const provider = "MongoDB";

/** An Atlas URI with credentials: the provider pattern claims these bytes before the generic connection string. */
export const mongodbAtlasUriPattern: PatternDefinition = {
  id: "mongodb_atlas_db_uri_with_credentials",
  name: "MongoDB Atlas Database URI with credentials",
  provider,
  // An Atlas cluster host: <cluster>.<5-character id>.mongodb.net, with user:password before it.
  regex: "mongodb(?:\\+srv)?://[A-Za-z0-9._~%!$&*+;=-]+:[^\\s@/'\"`<>]{3,128}@[A-Za-z0-9-]+\\.[a-z0-9]{5}\\.mongodb\\.net",
  keywords: [".mongodb.net"],
  window: { before: 220, after: 16 },
  mustNotMatch: ["(?i)^mongodb(?:\\+srv)?://[^:/]*:(?:password|passwd|pass|pwd|secret|example|test|changeme|\\*+)@"],
  confidence: "high",
  category: "provider",
  pushProtection: false,
  validityCheck: true,
  examples: {
    positive: [
      (r) => `MONGODB_URI=mongodb+srv://app_user:${r.alnum(16)}@cluster0.${r.lowerAlnum(5)}.mongodb.net/?retryWrites=true&w=majority`,
      (r) => `client = MongoClient("mongodb+srv://reporting:${r.alnum(12)}@prod-eu.${r.lowerAlnum(5)}.mongodb.net/analytics")`,
    ],
    negative: [
      { text: "mongodb+srv://<username>:<password>@cluster0.ab1cd.mongodb.net/", reason: "placeholders" },
      { text: (r) => `mongodb+srv://cluster0.${r.lowerAlnum(5)}.mongodb.net/`, reason: "no credentials" },
    ],
  },
};

export const mongodbPatterns: PatternDefinition[] = [
  mongodbAtlasUriPattern,
  {
    id: "mongodb_atlas_service_account_secret",
    name: "MongoDB Atlas Service Account Secret",
    provider,
    regex: "mdb_sa_sk_[A-Za-z0-9_-]{40}",
    after: "\\z|[^A-Za-z0-9_-]",
    keywords: ["mdb_sa_sk_"],
    mustMatch: ["[A-Z]", "[a-z]", "[0-9]"],
    minEntropy: 3.5,
    confidence: "high",
    category: "provider",
    pushProtection: true,
    examples: {
      positive: [(r) => `ATLAS_CLIENT_ID=mdb_sa_id_${r.hex(24)}\nATLAS_CLIENT_SECRET=mdb_sa_sk_${r.alnum(20)}q8Z${r.base64url(17)}\n`],
      negative: [
        { text: "placeholder: 'mdb_sa_sk_…'", reason: "elided" },
        { text: (r) => `mdb_sa_id_${r.hex(24)}`, reason: "a client id, not the secret" },
      ],
    },
  },
];
