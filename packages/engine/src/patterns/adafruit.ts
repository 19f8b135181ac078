import type { PatternDefinition } from "../pattern.js";

export const adafruitPatterns: PatternDefinition[] = [
  {
    id: "adafruit_io_key",
    name: "Adafruit IO Key",
    provider: "Adafruit",
    // Adafruit IO keys: `aio_` + 28 alphanumerics.
    regex: "aio_[A-Za-z0-9]{28}",
    keywords: ["aio_"],
    mustMatch: ["[0-9]", "[A-Za-z]"],
    minEntropy: 3.5,
    confidence: "high",
    category: "provider",
    pushProtection: true,
    validityCheck: true,
    examples: {
      positive: [
        (r) => `ADAFRUIT_IO_KEY=aio_${r.alnum(24)}k7Qz`,
        (r) => `aio = Client("user", "aio_${r.alnum(20)}3b${r.alnum(6)}")`,
      ],
      negative: [
        { text: (r) => `aio_${r.alnum(12)}`, reason: "too short" },
        { text: "def aio_read_sensor_temperature_value():", reason: "an identifier: no digits, and the name goes on" },
      ],
    },
  },
];
