/**
 * Arithmetic formulas in JavaScript's own syntax, compiled to WebAssembly f64x2 instructions on named v128 locals:
 * a kernel that must return the same bits as a JavaScript function is written with that function's formulas, and
 * the compiler evaluates them in JavaScript's order.
 *
 *   formula := term (("+" | "−") term)*        left to right, as JavaScript associates
 *   term    := unary (("*" | "/") unary)*
 *   unary   := "-" unary | atom                 unary minus binds tighter than *, so -g * x is (−g)·x
 *   atom    := number | local | "(" formula ")"
 *
 * Each operator is one IEEE f64x2 instruction (add, sub, mul, div, neg: exact rounding, nothing fused) and a number
 * is the same double in both lanes, so `a * b + c` computes in each lane exactly what JavaScript computes for
 * a * b + c. Names are v128 locals: `Formulas.let` declares one the first time it is assigned (`locals` gives the
 * indices once all are known, so a kernel is written first and laid out after). Numbers stay v128.const
 * instructions: held in locals instead (set once, before the loop), they made V8's optimised code 3× slower.
 */
import { op } from "./bytes.js";

const TOKEN = /\s*(?:(\d+(?:\.\d*)?(?:e[+-]?\d+)?)|([A-Za-z_$][\w$]*)|([-+*/()]))/y;

type Token = { number: number } | { name: string } | { symbol: string };

function tokenize(formula: string): Token[] {
  const tokens: Token[] = [];
  const text = formula.trim(); // so the last token ends the text (TOKEN skips the spaces before each token)
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < text.length) {
    const at = TOKEN.lastIndex;
    const m = TOKEN.exec(text);
    if (!m) throw new Error(`formula "${text}": cannot read from "${text.slice(at)}"`);
    if (m[1] !== undefined) tokens.push({ number: Number(m[1]) });
    else if (m[2] !== undefined) tokens.push({ name: m[2] });
    else tokens.push({ symbol: m[3] });
  }
  return tokens;
}

/** A kernel's v128 locals by name, and the code assigning them. */
export class Formulas {
  /** Names in the order they were first assigned (their local index is `first + position`). */
  readonly names: string[] = [];
  private readonly index = new Map<string, number>();
  /** local.get of each local, made once (a kernel reads its locals thousands of times). */
  private readonly reads: number[][] = [];

  /** @param first the local index of the first v128 name (after the function's parameters and other locals) */
  constructor(private readonly first: number) {}

  /** The local index of `name`, declaring it when new. */
  local(name: string): number {
    let i = this.index.get(name);
    if (i === undefined) {
      i = this.first + this.names.length;
      this.names.push(name);
      this.index.set(name, i);
    }
    return i;
  }

  private read(i: number): number[] {
    const k = i - this.first;
    this.reads[k] ??= op.get(i);
    return this.reads[k];
  }

  /** The code that leaves `formula`'s value on the stack (every name in it must have been assigned before). */
  value(formula: string): number[] {
    const tokens = tokenize(formula);
    const code: number[] = [];
    const emit = (bytes: readonly number[]) => {
      code.push(...bytes);
    };
    let at = 0;
    const peek = (): string | undefined => {
      const t = tokens[at];
      return t && "symbol" in t ? t.symbol : undefined;
    };
    const fail = (why: string): never => {
      throw new Error(`formula "${formula}": ${why}`);
    };
    // Each rule emits its operands, then its operator: postfix order, which is the stack machine's.
    const sum = (): void => {
      term();
      for (let s = peek(); s === "+" || s === "-"; s = peek()) {
        at++;
        term();
        emit(s === "+" ? op.f64x2Add : op.f64x2Sub);
      }
    };
    const term = (): void => {
      unary();
      for (let s = peek(); s === "*" || s === "/"; s = peek()) {
        at++;
        unary();
        emit(s === "*" ? op.f64x2Mul : op.f64x2Div);
      }
    };
    const unary = (): void => {
      if (peek() === "-") {
        at++;
        unary();
        emit(op.f64x2Neg);
      } else atom();
    };
    const atom = (): void => {
      const t = tokens[at++] ?? fail("ends too early");
      if ("number" in t) emit(op.f64x2Const(t.number));
      else if ("name" in t) {
        const i = this.index.get(t.name);
        emit(i === undefined ? fail(`"${t.name}" is used before it is assigned`) : this.read(i));
      } else {
        if (t.symbol !== "(") fail(`unexpected "${t.symbol}"`);
        sum();
        if (peek() !== ")") fail("a parenthesis is not closed");
        at++;
      }
    };
    sum();
    if (at !== tokens.length) fail("has extra text after the formula");
    return code;
  }

  /** `name = formula`: evaluate and store in the local `name` (declared when new). */
  let(name: string, formula: string): number[] {
    const code = this.value(formula);
    code.push(...op.set(this.local(name)));
    return code;
  }

  /** Several assignments in order: [[name, formula], …]. */
  lets(assignments: readonly (readonly [string, string])[]): number[] {
    return assignments.flatMap(([name, formula]) => this.let(name, formula));
  }
}
