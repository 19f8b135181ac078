import type { PatternDefinition } from "../pattern.js";

const provider = "Postman";
const ULID = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

export const postmanPatterns: PatternDefinition[] = [
  {
    id: "postman_api_key",
    name: "Postman API Key",
    provider,
    // `PMAK-` + a 24-hex object id + `-` + a 34-hex secret.
    regex: "PMAK-[a-fA-F0-9]{24}-[a-fA-F0-9]{34}",
    keywords: ["pmak-"],
    minEntropy: 3,
    confidence: "high",
    category: "provider",
    pushProtection: true,
    validityCheck: true,
    examples: {
      positive: [
        (r) => `POSTMAN_API_KEY=PMAK-${r.hex(24)}-${r.hex(34)}`,
        (r) => `curl -H 'x-api-key: PMAK-${r.hex(24)}-${r.hex(34)}' https://api.getpostman.com/me`,
      ],
      negative: [
        { text: (r) => `PMAK-${r.hex(24)}-${r.hex(20)}`, reason: "secret part too short" },
        { text: (r) => `PMAK-${r.lower(24)}-${r.lower(34)}`, reason: "parts are not hexadecimal" },
      ],
    },
  },
  {
    id: "postman_collection_key",
    name: "Postman Collection Key",
    provider,
    // Collection access keys: `PMAT-` + a ULID (26 Crockford base32 characters), e.g. in `?access_key=` links.
    regex: "PMAT-[0-7][0-9A-HJKMNP-TV-Z]{25}",
    keywords: ["pmat-"],
    minEntropy: 3,
    confidence: "high",
    category: "provider",
    pushProtection: true,
    validityCheck: true,
    examples: {
      positive: [
        (r) => `https://api.postman.com/collections/${r.digits(8)}-${r.hex(8)}-${r.hex(4)}-${r.hex(4)}-${r.hex(4)}-${r.hex(12)}?access_key=PMAT-01${r.chars(ULID, 24)}`,
      ],
      negative: [
        { text: "Decoder scratch buffers (PMAT-014)", reason: "a ticket number, not a 26-character ULID" },
        { text: (r) => `PMAT-01${r.lower(24)}`, reason: "ULIDs are upper case" },
      ],
    },
  },
];
