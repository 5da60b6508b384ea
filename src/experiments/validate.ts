/**
 * Turning zod issues into the one-line errors users see. A bad config must say WHERE (the field path, written
 * `agents[1].lr`), WHAT was there (the value, as JSON), and WHAT IS ALLOWED (the expected type, the allowed
 * values, the range). The result is an InputError, which the CLI prints as one line and exits 2 on.
 */
import type * as z from "../zod.js";
import { InputError } from "../util/errors.js";

/** `["agents", 1, "lr"]` → `agents[1].lr`; prefixed with `prefix` when given. */
export function formatPath(path: readonly PropertyKey[], prefix = ""): string {
  let out = prefix;
  for (const part of path) {
    if (typeof part === "number") out += `[${part}]`;
    else if (typeof part === "string" && /^[A-Za-z_][\w-]*$/.test(part))
      out += out === "" ? part : `.${part}`;
    else out += `[${JSON.stringify(String(part))}]`;
  }
  return out === "" ? "(config)" : out;
}

/** A short JSON rendering of a user value, for error messages. */
export function showValue(value: unknown): string {
  if (value === undefined) return "nothing (missing)";
  if (typeof value === "number" && !Number.isFinite(value)) return String(value);
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let cur: unknown = root;
  for (const key of path) {
    if (cur === null || typeof cur !== "object") return undefined;
    cur = (cur as Record<PropertyKey, unknown>)[key];
  }
  return cur;
}

type Issue = z.core.$ZodIssue;

/** What is allowed, in words, for one issue. */
function allowedText(issue: Issue): string {
  switch (issue.code) {
    case "invalid_type":
      return `expected ${issue.expected}`;
    case "invalid_value":
      return `allowed: ${issue.values.map((v) => JSON.stringify(v)).join(", ")}`;
    case "too_small": {
      if ("exact" in issue && issue.exact) return `allowed: length exactly ${String(issue.minimum)}`;
      const what = issue.origin === "array" || issue.origin === "string" ? "length " : "";
      return `allowed: ${what}${issue.inclusive ? "≥" : ">"} ${String(issue.minimum)}`;
    }
    case "too_big": {
      if ("exact" in issue && issue.exact) return `allowed: length exactly ${String(issue.maximum)}`;
      const what = issue.origin === "array" || issue.origin === "string" ? "length " : "";
      return `allowed: ${what}${issue.inclusive ? "≤" : "<"} ${String(issue.maximum)}`;
    }
    case "unrecognized_keys":
      return "remove it (unknown field; check the spelling)";
    case "invalid_format":
      return issue.format === "regex" ? `allowed: ${issue.message}` : `expected format ${issue.format}`;
    case "not_multiple_of":
      return `expected a multiple of ${String(issue.divisor)}`;
    default:
      return issue.message;
  }
}

/** Pick the most specific issue: inside a union, the branch that got furthest into the value. */
function deepest(issue: Issue, basePath: readonly PropertyKey[]): { issue: Issue; path: PropertyKey[] } {
  const path = [...basePath, ...issue.path];
  if (issue.code === "invalid_union" && issue.errors.length > 0) {
    let best: { issue: Issue; path: PropertyKey[] } | undefined;
    for (const branch of issue.errors) {
      if (branch.length === 0) continue;
      const candidate = deepest(branch[0], path);
      // Prefer the branch that got furthest into the value; on a tie, one whose type matched.
      const better =
        !best ||
        candidate.path.length > best.path.length ||
        (candidate.path.length === best.path.length &&
          best.issue.code === "invalid_type" &&
          candidate.issue.code !== "invalid_type");
      if (better) best = candidate;
    }
    if (best && (best.path.length > path.length || best.issue.code !== "invalid_type")) return best;
  }
  return { issue, path };
}

/**
 * An InputError for the first zod issue: `field: got <value>; <allowed>`. `prefix` is prepended to the path
 * (e.g. when a sweep value is being checked), `note` appended (where the value came from).
 */
export function issueToInputError(error: z.ZodError, input: unknown, prefix = "", note = ""): InputError {
  const first = error.issues[0];
  const { issue, path } = deepest(first, []);
  if (issue.code === "unrecognized_keys") {
    const field = formatPath([...path, issue.keys[0]], prefix);
    return new InputError(field, `unknown field${note}; ${allowedText(issue)}`);
  }
  if (issue.code === "invalid_union" && "options" in issue && Array.isArray(issue.options)) {
    const value = valueAt(input, path);
    const options = (issue.options as unknown[]).map((o) => JSON.stringify(o)).join(", ");
    return new InputError(formatPath(path, prefix), `got ${showValue(value)}${note}; allowed: ${options}`);
  }
  const value = valueAt(input, path);
  const expected =
    issue.code === "invalid_union" ? "expected one of the documented forms" : allowedText(issue);
  const text = issue.code === "custom" ? issue.message : expected;
  return new InputError(formatPath(path, prefix), `got ${showValue(value)}${note}; ${text}`);
}

/** Parse with `schema` or throw an InputError naming the field, its value and what is allowed. */
export function parseOrThrow<S extends z.ZodType>(
  schema: S,
  input: unknown,
  prefix = "",
  note = "",
): z.output<S> {
  const result = schema.safeParse(input);
  if (!result.success) throw issueToInputError(result.error, input, prefix, note);
  return result.data;
}
