const INSPECT = Symbol.for("nodejs.util.inspect.custom");

/**
 * A secret that masks itself everywhere it could leak by accident: string
 * coercion, JSON, `util.inspect` and template literals. Only `reveal()` gives
 * the raw value, so every place that shows a secret is a deliberate choice.
 */
export class SecretValue {
  readonly #value: string;

  constructor(value: string) {
    this.#value = value;
  }

  /** The raw secret. Call only where showing it was asked for. */
  reveal(): string {
    return this.#value;
  }

  get length(): number {
    return this.#value.length;
  }

  /** A masked form that keeps a short prefix (the token type) and hides the rest. */
  masked(): string {
    return maskSecret(this.#value);
  }

  equals(other: SecretValue): boolean {
    return other.#value === this.#value;
  }

  toString(): string {
    return this.masked();
  }

  toJSON(): string {
    return this.masked();
  }

  [INSPECT](): string {
    return `SecretValue(${this.masked()})`;
  }
}

/**
 * Keep up to 4 leading characters (or fewer for short secrets, never more than
 * a quarter) so a reader can tell `ghp_` from `AKIA`, then stars.
 */
export function maskSecret(value: string): string {
  const keep = Math.min(4, Math.floor(value.length / 4));
  const hidden = Math.max(value.length - keep, 0);
  return value.slice(0, keep) + "*".repeat(Math.min(hidden, 32));
}
