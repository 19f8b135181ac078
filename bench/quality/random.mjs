// A seeded random source for the corpus: the engine's ExampleRandom (xorshift32) plus the helpers the
// generators need. The same seed always writes the same corpus.
import { ExampleRandom } from "../../packages/engine/dist/index.js";

export class CorpusRandom extends ExampleRandom {
  /** An integer in [min, max]. */
  int(min, max) {
    return min + (this.next() % (max - min + 1));
  }
  /** True with probability p. */
  chance(p) {
    return this.next() / 0x100000000 < p;
  }
  pick(list) {
    return list[this.next() % list.length];
  }
  /** A shuffled copy (Fisher-Yates). */
  shuffle(list) {
    const out = [...list];
    for (let i = out.length - 1; i > 0; i--) {
      const j = this.next() % (i + 1);
      [out[i], out[j]] = [out[j], out[i]];
    }
    return out;
  }
  uuid() {
    const h = this.hex(32);
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${"89ab"[this.next() % 4]}${h.slice(17, 20)}-${h.slice(20, 32)}`;
  }
  /** A word-ish identifier, as people name things. */
  word() {
    return this.pick(WORDS);
  }
  service() {
    return this.pick(SERVICES);
  }
  ip() {
    return `10.${this.int(0, 255)}.${this.int(0, 255)}.${this.int(1, 254)}`;
  }
  date() {
    return `2024-${String(this.int(1, 12)).padStart(2, "0")}-${String(this.int(1, 28)).padStart(2, "0")}`;
  }
  time() {
    return `${String(this.int(0, 23)).padStart(2, "0")}:${String(this.int(0, 59)).padStart(2, "0")}:${String(this.int(0, 59)).padStart(2, "0")}`;
  }
  version() {
    return `${this.int(0, 9)}.${this.int(0, 30)}.${this.int(0, 20)}`;
  }
}

export const SERVICES = [
  "billing",
  "orders",
  "auth",
  "search",
  "payments",
  "inventory",
  "notifier",
  "gateway",
  "reports",
  "scheduler",
  "catalog",
  "checkout",
  "ledger",
  "mailer",
  "analytics",
  "uploads",
];

export const WORDS = [
  "alpha",
  "amber",
  "atlas",
  "beacon",
  "birch",
  "cedar",
  "comet",
  "delta",
  "ember",
  "falcon",
  "harbor",
  "juniper",
  "lumen",
  "maple",
  "nova",
  "orbit",
  "pine",
  "quartz",
  "raven",
  "sierra",
  "summit",
  "tundra",
  "willow",
  "zephyr",
];
