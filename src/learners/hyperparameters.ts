/**
 * What every place that takes a learner's hyperparameters derives from its entry's zod schema (./entry.ts):
 * - `hyperparameters(schema)`: the list of hyperparameters (key, CLI flag, type, allowed values, bounds, default,
 *   doc), read from the schema's JSON Schema (zod's own `toJSONSchema`), for --help and `shapelab learners`;
 * - `parseHyperparameterText(param, text, field)`: a value written as text (a CLI flag, the arena's
 *   `aa(beta=2)`) turned into the type the schema expects;
 * - `validateConfig(entry, config, field)`: the schema's check, its first problem as an InputError naming the
 *   field (`learners[0].beta`) and what is allowed; returns the config with every default filled in;
 * - `optionalShape(schema)`: the same fields with their defaults taken off, for configs that must stay as
 *   written (an experiment's run config is what identifies its runs, so defaults are filled by the learner).
 */
import * as z from "../zod.js";
import { closestAmong } from "../util/closest.js";
import { InputError } from "../util/errors.js";
import type { HyperparameterMeta, LearnerEntry } from "./entry.js";

/** Any entry, whatever its family's Config, Context and Instance. */
// biome-ignore lint/suspicious/noExplicitAny: the registry holds entries of every family; each is typed at its use.
export type AnyLearnerEntry = LearnerEntry<any, any, any>;

/**
 * What a hyperparameter holds. `other` is any shape a text cannot spell (an object, a list of numbers): it has no
 * CLI flag and is set in an experiment YAML; the schema alone checks it.
 */
export type HyperparameterType = "number" | "integer" | "boolean" | "enum" | "enum-list" | "string" | "other";

export interface Hyperparameter {
  readonly key: string;
  /** The CLI flag without dashes (`lr-critic`), or null when the hyperparameter has no flag. */
  readonly flag: string | null;
  readonly type: HyperparameterType;
  /** Allowed values of an enum (or of each entry of an enum list). */
  readonly allowed?: readonly string[];
  readonly minimum?: number;
  readonly maximum?: number;
  readonly exclusiveMinimum?: number;
  readonly exclusiveMaximum?: number;
  /** `null` is allowed too (written `null`), e.g. "no truncation". */
  readonly nullable?: boolean;
  /** The default, or undefined when absence is itself a setting (e.g. `gaeLambda`: Q − V advantages). */
  readonly default?: unknown;
  readonly doc: string;
}

interface JsonProperty {
  type?: string;
  anyOf?: JsonProperty[];
  enum?: string[];
  items?: { enum?: string[] };
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  default?: unknown;
  description?: string;
  flag?: string;
  cli?: boolean;
}

/** `lrCritic` → `lr-critic`. */
export function kebabCase(key: string): string {
  return key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

function objectShape(schema: z.ZodType, what: string): Record<string, z.ZodType> {
  if (!(schema instanceof z.ZodObject)) throw new Error(`${what}: a learner's schema must be a zod object`);
  return schema.shape as Record<string, z.ZodType>;
}

const cache = new WeakMap<z.ZodType, Hyperparameter[]>();

/** The hyperparameters of an entry's schema, in the schema's order. */
export function hyperparameters(schema: z.ZodType): readonly Hyperparameter[] {
  const known = cache.get(schema);
  if (known) return known;
  const json = z.toJSONSchema(schema, { io: "input", unrepresentable: "any" }) as {
    properties?: Record<string, JsonProperty>;
  };
  const list = Object.keys(objectShape(schema, "hyperparameters")).map((key): Hyperparameter => {
    const outer = json.properties?.[key] ?? {};
    // A nullable field is `anyOf: [the type, {type: "null"}]`, with the doc and default on the outside.
    const members = outer.anyOf?.filter((m) => m.type !== "null") ?? [];
    const nullable = outer.anyOf !== undefined && members.length < outer.anyOf.length;
    const p: JsonProperty = members.length === 1 ? { ...members[0], ...outer, anyOf: undefined } : outer;
    const meta = p as HyperparameterMeta;
    const type: HyperparameterType =
      p.type === "array"
        ? p.items?.enum
          ? "enum-list"
          : "other"
        : p.enum
          ? "enum"
          : ["number", "integer", "boolean", "string"].includes(String(p.type))
            ? (p.type as HyperparameterType)
            : "other";
    return {
      key,
      flag: meta.cli === false || type === "other" ? null : (meta.flag ?? kebabCase(key)),
      type,
      ...(nullable ? { nullable } : {}),
      ...(p.enum || p.items?.enum ? { allowed: p.enum ?? p.items?.enum } : {}),
      ...(p.minimum !== undefined ? { minimum: p.minimum } : {}),
      ...(p.maximum !== undefined ? { maximum: p.maximum } : {}),
      ...(p.exclusiveMinimum !== undefined ? { exclusiveMinimum: p.exclusiveMinimum } : {}),
      ...(p.exclusiveMaximum !== undefined ? { exclusiveMaximum: p.exclusiveMaximum } : {}),
      ...("default" in p ? { default: p.default } : {}),
      doc: p.description ?? "",
    };
  });
  cache.set(schema, list);
  return list;
}

/** "a number ≥ 0", "an integer in [0, 20]", "one of sgd, adam": what a hyperparameter allows, for messages. */
export function allowedText(param: Hyperparameter): string {
  const text = allowedValueText(param);
  return param.nullable ? `${text}, or null` : text;
}

function allowedValueText(param: Hyperparameter): string {
  if (param.type === "other") return "a value of the schema's shape (see `shapelab learners --json`)";
  if (param.type === "string") return "a text";
  if (param.type === "boolean") return "true or false";
  if (param.type === "enum") return `one of ${param.allowed?.join(", ")}`;
  if (param.type === "enum-list") return `a comma-separated list of ${param.allowed?.join(", ")} (or empty)`;
  const what = param.type === "integer" ? "an integer" : "a number";
  const low =
    param.minimum !== undefined
      ? `[${param.minimum}`
      : param.exclusiveMinimum !== undefined
        ? `(${param.exclusiveMinimum}`
        : "";
  const high =
    param.maximum !== undefined
      ? `${param.maximum}]`
      : param.exclusiveMaximum !== undefined
        ? `${param.exclusiveMaximum})`
        : "";
  if (low && high) return `${what} in ${low}, ${high}`;
  if (low) return `${what} ${low[0] === "[" ? "≥" : ">"} ${low.slice(1)}`;
  if (high) return `${what} ${high.endsWith("]") ? "≤" : "<"} ${high.slice(0, -1)}`;
  return what;
}

/**
 * A value written as text, in the schema's type: numbers, `true`/`false`, a word of an enum, or a comma list for
 * an enum list (an empty text is the empty list; "−" is read as "-", so `−−` names the spiteful quadrant). The
 * value's range is checked by `checkValue` (or `validateConfig`), so every caller reports it the same way.
 */
export function parseHyperparameterText(param: Hyperparameter, text: string, field: string): unknown {
  const raw = text.trim();
  if (param.nullable && raw === "null") return null;
  switch (param.type) {
    case "string":
      return raw;
    case "other":
      throw new InputError(
        field,
        `cannot be written as text; set it in an experiment config (${allowedText(param)})`,
      );
    case "number":
    case "integer": {
      const value = raw === "" ? Number.NaN : Number(raw);
      if (!Number.isFinite(value))
        throw new InputError(field, `expected ${allowedText(param)}, got "${text}"`);
      return value;
    }
    case "boolean":
      if (raw === "true") return true;
      if (raw === "false") return false;
      throw new InputError(field, `expected true or false, got "${text}"`);
    case "enum":
      return raw;
    case "enum-list":
      return raw === "" ? [] : raw.split(",").map((x) => x.trim().replaceAll("−", "-"));
  }
}

function describeValue(value: unknown): string {
  return typeof value === "string" ? `"${value}"` : (JSON.stringify(value) ?? String(value));
}

/**
 * Check one value against a hyperparameter's type and bounds; an InputError on `field` says the first bound it
 * breaks ("must be ≥ 0, got -1", "must be one of sgd, adam, got \"sdg\"").
 */
export function checkValue(param: Hyperparameter, value: unknown, field: string): void {
  const fail = (what: string): never => {
    throw new InputError(field, `${what}, got ${describeValue(value)}`);
  };
  if (value === null && param.nullable) return;
  switch (param.type) {
    case "other":
      return;
    case "string":
      if (typeof value !== "string") fail("must be a text");
      return;
    case "boolean":
      if (typeof value !== "boolean") fail("must be true or false");
      return;
    case "enum":
      if (typeof value !== "string" || !param.allowed?.includes(value))
        throw new InputError(
          field,
          `unknown value ${describeValue(value)}; allowed: ${param.allowed?.join(", ")}`,
        );
      return;
    case "enum-list":
      if (!Array.isArray(value)) fail(`must be a list of ${param.allowed?.join(", ")}`);
      for (const item of value as unknown[])
        if (typeof item !== "string" || !param.allowed?.includes(item))
          throw new InputError(
            field,
            `unknown value ${describeValue(item)}; allowed: ${param.allowed?.join(", ")}`,
          );
      return;
    case "number":
    case "integer": {
      if (typeof value !== "number" || !Number.isFinite(value)) fail("must be a finite number");
      const x = value as number;
      if (param.type === "integer" && !Number.isInteger(x)) fail("must be an integer");
      if (param.minimum !== undefined && x < param.minimum) fail(`must be ≥ ${param.minimum}`);
      if (param.exclusiveMinimum !== undefined && x <= param.exclusiveMinimum)
        fail(`must be > ${param.exclusiveMinimum}`);
      if (param.maximum !== undefined && x > param.maximum) fail(`must be ≤ ${param.maximum}`);
      if (param.exclusiveMaximum !== undefined && x >= param.exclusiveMaximum)
        fail(`must be < ${param.exclusiveMaximum}`);
    }
  }
}

/**
 * Check `config` against the entry's schema and return it with every default filled in. The first problem is an
 * InputError on `${field}.${key}` saying what is allowed; an unknown key names the closest known one.
 */
export function validateConfig<Config extends object>(
  entry: LearnerEntry<Config, unknown, unknown>,
  config: unknown,
  field: string,
): Config {
  const result = entry.schema.safeParse(config ?? {});
  if (result.success) return result.data;
  const params = hyperparameters(entry.schema);
  const keys = params.map((p) => p.key);
  const issue = result.error.issues[0];
  if (issue.code === "unrecognized_keys") {
    const key = issue.keys[0];
    const near = closestAmong(key, keys, 1);
    throw new InputError(
      field,
      `unknown hyperparameter "${key}" for ${entry.name}` +
        (near.length > 0 ? `; did you mean "${near[0]}"? allowed: ${keys.join(", ")}` : ": it takes none"),
    );
  }
  const key = String(issue.path[0] ?? "");
  const param = params.find((p) => p.key === key);
  if (!param) throw new InputError(field, issue.message);
  checkValue(param, (config as Record<string, unknown>)[key], `${field}.${key}`);
  // A check the description does not capture (a refinement): zod's own message.
  throw new InputError(`${field}.${key}`, issue.message);
}

/**
 * The schema's fields with their defaults removed (each optional, its doc kept): a config validated by it stays
 * exactly as written, and the learner fills the defaults when it is created.
 */
export function optionalShape(schema: z.ZodType): Record<string, z.ZodType> {
  return Object.fromEntries(
    Object.entries(objectShape(schema, "optionalShape")).map(([key, field]) => {
      const inner = field instanceof z.ZodDefault ? (field.unwrap() as z.ZodType) : field;
      const optional = inner instanceof z.ZodOptional ? inner : inner.optional();
      return [key, field.description ? optional.describe(field.description) : optional];
    }),
  );
}

/** The entries of `config` whose keys the schema declares (a shared spec type read by one learner). */
export function pickKeys(schema: z.ZodType, config: object): Record<string, unknown> {
  const shape = objectShape(schema, "pickKeys");
  return Object.fromEntries(Object.entries(config).filter(([k, v]) => k in shape && v !== undefined));
}
