import type { PatternDefinition } from "../pattern.js";

const assigned = (names: string) => `(?i)(?:${names})[\\w.-]{0,25}[\\s'"]{0,3}(?:=|:|=>|:=|\\)?\\()[\\s'"]{0,5}`;

export const messagebirdPatterns: PatternDefinition[] = [
  {
    id: "messagebird_api_key",
    name: "MessageBird API Key",
    provider: "MessageBird",
    // Access keys are 25 base62 characters with no prefix: only a MessageBird name marks them.
    regex: "[A-Za-z0-9]{25}",
    before: assigned("message[_-]?bird"),
    keywords: ["messagebird", "message_bird", "message-bird"],
    mustMatch: ["[A-Z]", "[a-z]", "[0-9]"],
    minEntropy: 3.5,
    confidence: "low",
    category: "provider",
    // GitHub's push protection covers this type, but Vigil recognises it only by a nearby name (its shape is generic):
    // not proof enough to block a push. Reported, never blocking (a catalog test holds every low-confidence pattern to this).
    pushProtection: false,
    examples: {
      positive: [
        (r) => `MESSAGEBIRD_ACCESS_KEY=${r.alnum(11)}x7Q${r.alnum(11)}`,
        (r) => `const messagebird = require('messagebird')('${r.alnum(11)}Zk3${r.alnum(11)}');`,
      ],
      negative: [
        { text: (r) => `access_key = "${r.alnum(25)}"`, reason: "no MessageBird name" },
        { text: (r) => `MESSAGEBIRD_ORIGINATOR=${r.lower(25)}`, reason: "no digits or capitals: not a key" },
      ],
    },
  },
];
