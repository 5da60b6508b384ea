/**
 * Errors that come from what a user typed or wrote (flags, config files, payoffs). The CLI prints their message,
 * without a stack trace, and exits with code 2. The message names the field and what is allowed.
 */
export class InputError extends Error {
  constructor(
    /** Where the bad value is: a flag (`--gamma`), a config path (`agents[1].lr`), or a parameter name. */
    readonly field: string,
    message: string,
  ) {
    super(`${field}: ${message}`);
    this.name = "InputError";
  }
}

/** Throw an InputError unless `value` is a finite number. */
export function requireFinite(field: string, value: number): number {
  if (typeof value !== "number" || !Number.isFinite(value)) {
    throw new InputError(field, `must be a finite number, got ${String(value)}`);
  }
  return value;
}

/** Throw an InputError unless `value` is one of `allowed`; the message lists them. */
export function requireOneOf<T extends string>(field: string, value: string, allowed: readonly T[]): T {
  if (!(allowed as readonly string[]).includes(value)) {
    throw new InputError(field, `unknown value "${value}"; allowed: ${allowed.join(", ")}`);
  }
  return value as T;
}
