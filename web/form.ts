/**
 * Reading the explorer's form fields. A value outside its range is an InputError naming the field as the page
 * labels it, so the page shows one clear message instead of computing with it.
 */
import { InputError, requireOneOf } from "../src/util/errors.js";

export interface NumberField {
  /** The input element's id. */
  id: string;
  /** The name shown in messages (the field's label on the page). */
  label: string;
  min: number;
  max: number;
  integer?: boolean;
  /** The bounds themselves are excluded. */
  exclusiveMin?: boolean;
}

export function input(id: string): HTMLInputElement | HTMLSelectElement {
  const node = document.getElementById(id);
  if (!(node instanceof HTMLInputElement || node instanceof HTMLSelectElement)) {
    throw new Error(`the page has no field #${id}`);
  }
  return node;
}

export function readNumber(field: NumberField): number {
  const text = input(field.id).value.trim();
  const value = text === "" ? Number.NaN : Number(text);
  const range = `${field.exclusiveMin ? "(" : "["}${field.min}, ${field.max}]`;
  if (!Number.isFinite(value))
    throw new InputError(field.label, `expected a number in ${range}, got "${text}"`);
  if (field.integer && !Number.isInteger(value))
    throw new InputError(field.label, `expected an integer, got ${text}`);
  if (value > field.max || value < field.min || (field.exclusiveMin && value === field.min)) {
    throw new InputError(field.label, `must be in ${range}, got ${value}`);
  }
  return value;
}

export function readChoice<T extends string>(id: string, label: string, allowed: readonly T[]): T {
  return requireOneOf(label, input(id).value, allowed);
}

/** Fill a <select> with options (value = text) and select `selected`. */
export function fillSelect(id: string, values: readonly string[], selected: string): void {
  const select = input(id) as HTMLSelectElement;
  select.replaceChildren(...values.map((v) => new Option(v, v, v === selected, v === selected)));
}

/** Call `run` once the user has stopped changing `form` for `ms` milliseconds. */
export function onSettledChange(form: HTMLElement, ms: number, run: () => void): void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const schedule = () => {
    clearTimeout(timer);
    timer = setTimeout(run, ms);
  };
  form.addEventListener("input", schedule);
  form.addEventListener("change", schedule);
}

/** Show `error` in `message` (InputErrors as they are, anything else as an internal error); undefined hides it. */
export function showMessage(message: HTMLElement, error: unknown): void {
  if (error === undefined) {
    message.textContent = "";
    message.hidden = true;
    return;
  }
  message.hidden = false;
  message.textContent =
    error instanceof InputError
      ? error.message
      : `internal error: ${error instanceof Error ? error.message : error}`;
}

/** An optional number field: blank means "the learner's default" (undefined); otherwise as `readNumber`. */
export function readOptionalNumber(field: NumberField): number | undefined {
  return input(field.id).value.trim() === "" ? undefined : readNumber(field);
}
