/**
 * Elementary functions of our own: exp, expm1, log, log1p, tanh and cos(2πu), built from +, −, ×, ÷ and table
 * reads only.
 *
 * Why: `Math.exp`, `Math.log`, `Math.cos` … are not specified to the last bit, and engines differ (Node 20's V8
 * and Chromium's V8 return different last bits for some arguments). The exact engine's dynamics are chaotic, so
 * one ulp at step 0 becomes a different P(C) after 200 updates, and the explorer would disagree with the CLI for
 * the same seed. IEEE 754 makes +, −, ×, ÷ and √ correctly rounded everywhere, so functions written with them
 * alone return the same bits in every engine. Every numeric path of shapelab (the exact engine, the sampled
 * learners, the samplers of `Rng`, the neural engine) uses these, never `Math.exp`/`Math.log`/…
 *
 * Accuracy (test/util-elementary.test.ts checks it against `Math.*` over the whole range):
 * - exp: Tang's table-driven method (ACM TOMS 15(2), 1989) with N = 64:
 *     x = (64m + j)·ln2/64 + r,  j ∈ [0, 64),  |r| ≤ ln2/128,   e^x = 2^m · 2^(j/64) · e^r,
 *   e^r − 1 by its Taylor polynomial to degree 6 (remainder < r⁷/5040 < 3e-20). ln2/64 is split into a high part
 *   whose products with k are exact and a low part, so r carries no cancellation error. The 64 values 2^(j/64)
 *   are correctly rounded constants (computed to 60 digits), not `Math.exp` results. Within 1 ulp.
 *   It is plain arithmetic and two table reads, so TurboFan inlines it (`Math.exp` is a call into C): the exact
 *   engine evaluates 10 logistic functions per pair and update, and this made an exact LOLA run ~20 % faster.
 * - log: the classic reduction of Sun's fdlibm (`e_log.c`): x = 2^k·(1 + f) with √2/2 ≤ 1 + f < √2,
 *   s = f/(2 + f), log(1 + f) = f − s·(f − R(s²)) with R the degree-14 Remez polynomial in s whose coefficients
 *   fdlibm publishes (Lg1…Lg7), and k·ln2 added in two parts. Within 1 ulp.
 * - expm1: its Taylor polynomial to degree 20 for |x| < 1 (truncation < 2e-20 relative), e^x − 1 beyond
 *   (where |e^x − 1| > 0.63, so the subtraction loses at most a bit).
 * - log1p: Goldberg's identity log1p(x) = log(u)·x/(u − 1) with u = 1 + x (exact where u = 1): a few ulp.
 * - tanh: −expm1(−2|x|)/(expm1(−2|x|) + 2) with the sign of x; ±1 beyond |x| > 22 (where tanh rounds to ±1).
 * - cosTwoPi(u) = cos(2πu) for the normal sampler: reduced by quarter turns exactly (4u − q is exact), then the
 *   Taylor polynomials of cos and sin to degree 20/21 on |θ| ≤ π/4 (truncation < 1e-21).
 */

// ---------------------------------------------------------------------------------------------------------- exp

const TABLE_BITS = 6;
const TABLE_SIZE = 1 << TABLE_BITS;
/** 2^(j/64), j = 0..63, correctly rounded (Python's decimal at 60 digits, then nearest double). */
const TWO_TO_J_OVER_N = Float64Array.of(
  1.0,
  1.0108892860517005,
  1.0218971486541166,
  1.0330248790212284,
  1.0442737824274138,
  1.0556451783605572,
  1.0671404006768237,
  1.0787607977571199,
  1.0905077326652577,
  1.102382583307841,
  1.1143867425958924,
  1.1265216186082418,
  1.1387886347566916,
  1.1511892299529827,
  1.1637248587775775,
  1.1763969916502812,
  1.189207115002721,
  1.202156731452703,
  1.215247359980469,
  1.22848053610687,
  1.241857812073484,
  1.255380757024691,
  1.2690509571917332,
  1.2828700160787783,
  1.2968395546510096,
  1.3109612115247644,
  1.3252366431597413,
  1.339667524053303,
  1.3542555469368927,
  1.3690024229745905,
  1.383909881963832,
  1.3989796725383112,
  Math.SQRT2,
  1.42961333839197,
  1.4451808069770467,
  1.460917794180647,
  1.4768261459394993,
  1.4929077282912648,
  1.5091644275934228,
  1.5255981507445384,
  1.5422108254079407,
  1.559004400237837,
  1.5759808451078865,
  1.593142151342267,
  1.6104903319492543,
  1.6280274218573478,
  1.645755478153965,
  1.6636765803267364,
  1.681792830507429,
  1.7001063537185235,
  1.718619298122478,
  1.7373338352737062,
  1.7562521603732995,
  1.7753764925265212,
  1.7947090750031072,
  1.8142521755003989,
  1.8340080864093424,
  1.8539791250833855,
  1.8741676341103,
  1.8945759815869656,
  1.9152065613971474,
  1.9360617934922943,
  1.9571441241754002,
  1.978456026387951,
);
/** 2^m for m = −1023..1023, at index m + 1023, by exact doublings and halvings. */
const TWO_TO_M = new Float64Array(2047);
TWO_TO_M[1023] = 1;
for (let m = 1; m <= 1023; m++) {
  TWO_TO_M[1023 + m] = TWO_TO_M[1022 + m] * 2;
  TWO_TO_M[1023 - m] = TWO_TO_M[1024 - m] / 2;
}

const N_OVER_LN2 = 92.33248261689366; // 64 / ln 2, nearest double
/** ln2/64 = HI + LO; HI has 21 trailing zero bits, so k·HI is exact for |k| < 2^21 (fdlibm's ln2_hi, ln2_lo, / 64). */
const LN2_HI = 0.6931471803691238;
const LN2_LO = 1.9082149292705877e-10;
const LN2_OVER_N_HI = LN2_HI / TABLE_SIZE;
const LN2_OVER_N_LO = LN2_LO / TABLE_SIZE;
/** 1.5·2^52: adding and subtracting it rounds a double of magnitude < 2^51 to the nearest integer. */
const ROUNDING_SHIFT = 6755399441055744;
/** Above this e^x overflows; below the other bound it underflows to 0 (as IEEE rounding gives). */
const EXP_OVERFLOW = 709.782712893384;
const EXP_UNDERFLOW = -745.1332191019412;
/** 2^−1000: a subnormal result is scaled in two steps, exact and then rounded once. */
const TWO_TO_MINUS_1000 = TWO_TO_M[23];

/**
 * exp's constants, for ports of the same algorithm that must return the same bits (the neural engine's
 * WebAssembly SIMD gates, src/nn/wasmGates.ts).
 */
export const EXP_ALGORITHM = {
  table: TWO_TO_J_OVER_N,
  nOverLn2: N_OVER_LN2,
  ln2OverNHi: LN2_OVER_N_HI,
  ln2OverNLo: LN2_OVER_N_LO,
  roundingShift: ROUNDING_SHIFT,
  tableBits: TABLE_BITS,
} as const;

/** e^x, within 1 ulp, the same bits in every JavaScript engine. */
export function exp(x: number): number {
  if (!(x <= EXP_OVERFLOW)) return Number.isNaN(x) ? x : Number.POSITIVE_INFINITY;
  if (!(x > EXP_UNDERFLOW)) return 0;
  const kf = x * N_OVER_LN2 + ROUNDING_SHIFT - ROUNDING_SHIFT; // k = round(64x / ln2), as a double
  const r = x - kf * LN2_OVER_N_HI - kf * LN2_OVER_N_LO;
  const k = kf | 0;
  const j = k & (TABLE_SIZE - 1);
  const m = (k - j) >> TABLE_BITS;
  // e^r − 1, Horner form
  const p = r + r * r * (1 / 2 + r * (1 / 6 + r * (1 / 24 + r * (1 / 120 + r * (1 / 720)))));
  const t = TWO_TO_J_OVER_N[j];
  const mantissa = t + t * p;
  if (m >= -1022) return m <= 1023 ? TWO_TO_M[m + 1023] * mantissa : mantissa * 2 * TWO_TO_M[2046]; // m = 1024 near overflow
  return mantissa * TWO_TO_M[m + 1000 + 1023] * TWO_TO_MINUS_1000; // subnormal result: one rounding, at the end
}

/** e^x − 1, accurate for small |x| too. */
export function expm1(x: number): number {
  if (x === 0) return x; // keeps −0
  if (x > -1 && x < 1) {
    // Taylor to degree 20: the remainder is below 1/21! < 2e-20, relative to |e^x − 1| ≥ 0.63|x|.
    let p = 1 / 2432902008176640000; // 1/20!
    p = 1 / 121645100408832000 + x * p;
    p = 1 / 6402373705728000 + x * p;
    p = 1 / 355687428096000 + x * p;
    p = 1 / 20922789888000 + x * p;
    p = 1 / 1307674368000 + x * p;
    p = 1 / 87178291200 + x * p;
    p = 1 / 6227020800 + x * p;
    p = 1 / 479001600 + x * p;
    p = 1 / 39916800 + x * p;
    p = 1 / 3628800 + x * p;
    p = 1 / 362880 + x * p;
    p = 1 / 40320 + x * p;
    p = 1 / 5040 + x * p;
    p = 1 / 720 + x * p;
    p = 1 / 120 + x * p;
    p = 1 / 24 + x * p;
    p = 1 / 6 + x * p;
    p = 1 / 2 + x * p;
    return x + x * x * p;
  }
  return exp(x) - 1;
}

// ---------------------------------------------------------------------------------------------------------- log

/** A double and its two 32-bit words (typed-array aliasing is much faster than a DataView here). */
const float = new Float64Array(1);
const words = new Uint32Array(float.buffer);
float[0] = 1;
/** Index of the high word (sign, exponent, top of the mantissa): 1 on little-endian machines. */
const HIGH = words[1] === 0x3ff00000 ? 1 : 0;
const TWO_TO_54 = 18014398509481984;
const Lg1 = 0.6666666666666735;
const Lg2 = 0.3999999999940942;
const Lg3 = 0.2857142874366239;
const Lg4 = 0.22222198432149784;
const Lg5 = 0.1818357216161805;
const Lg6 = 0.15313837699209373;
const Lg7 = 0.14798198605116586;

/** Natural logarithm, within 1 ulp, the same bits in every JavaScript engine. */
export function log(x: number): number {
  if (!(x > 0)) return x === 0 ? Number.NEGATIVE_INFINITY : Number.NaN; // also NaN in, NaN out
  if (x === Number.POSITIVE_INFINITY) return x;
  let k = 0;
  if (x < 2.2250738585072014e-308) {
    x *= TWO_TO_54; // subnormal: scale into the normal range first
    k = -54;
  }
  float[0] = x;
  let hi = words[HIGH];
  k += (hi >>> 20) - 1023;
  hi &= 0x000fffff;
  // Normalise the mantissa into [√2/2, √2): i = 0x100000 when it is ≥ √2 (then halve it and count one more 2).
  const i = (hi + 0x95f64) & 0x100000;
  words[HIGH] = hi | (i ^ 0x3ff00000);
  k += i >>> 20;
  const f = float[0] - 1;
  const dk = k;
  if (f > -9.5367431640625e-7 && f < 9.5367431640625e-7) {
    // |f| < 2^−20: a short series suffices.
    if (f === 0) return k === 0 ? 0 : dk * LN2_HI + dk * LN2_LO;
    const R = f * f * (0.5 - 0.3333333333333333 * f);
    return k === 0 ? f - R : dk * LN2_HI - (R - dk * LN2_LO - f);
  }
  const s = f / (2 + f);
  const z = s * s;
  const w = z * z;
  const t1 = w * (Lg2 + w * (Lg4 + w * Lg6));
  const t2 = z * (Lg1 + w * (Lg3 + w * (Lg5 + w * Lg7)));
  const R = t2 + t1;
  if (f > 0.1 || f < -0.1) {
    // Large f: keep f²/2 separate so its rounding error does not reach the result.
    const halfF2 = 0.5 * f * f;
    if (k === 0) return f - (halfF2 - s * (halfF2 + R));
    return dk * LN2_HI - (halfF2 - (s * (halfF2 + R) + dk * LN2_LO) - f);
  }
  if (k === 0) return f - s * (f - R);
  return dk * LN2_HI - (s * (f - R) - dk * LN2_LO - f);
}

/** log(1 + x), accurate for small |x|. */
export function log1p(x: number): number {
  if (x === Number.POSITIVE_INFINITY) return x;
  const u = 1 + x;
  if (u === 1) return x; // x below half an ulp of 1: log1p(x) = x to within rounding (and keeps −0)
  return (log(u) * x) / (u - 1);
}

// ----------------------------------------------------------------------------------------- sigmoid and tanh

/** Logistic function 1/(1 + e^−x), finite for every x. */
export function sigmoid(x: number): number {
  if (x >= 0) return 1 / (1 + exp(-x));
  const e = exp(x);
  return e / (1 + e);
}

/** Hyperbolic tangent. */
export function tanh(x: number): number {
  const a = x < 0 ? -x : x;
  if (!(a <= 22)) return Number.isNaN(x) ? x : x < 0 ? -1 : 1;
  if (a < 3.725290298461914e-9) return x; // 2^−28: tanh x = x to double precision
  const t = expm1(-2 * a);
  const y = -t / (t + 2);
  return x < 0 ? -y : y;
}

// -------------------------------------------------------------------------------------------------- cos(2πu)

const HALF_PI = 1.5707963267948966;

/** cos(2πu) for the normal sampler (any finite u; exact quarter-turn reduction). */
export function cosTwoPi(u: number): number {
  const v = 4 * (u - Math.floor(u)); // exact: u − ⌊u⌋ is exact and 4· is a power of two
  const q = Math.round(v);
  const theta = (v - q) * HALF_PI; // |θ| ≤ π/4
  const z = theta * theta;
  switch (q & 3) {
    case 0:
      return cosPoly(z);
    case 1:
      return -theta * sinPoly(z);
    case 2:
      return -cosPoly(z);
    default:
      return theta * sinPoly(z);
  }
}

/** cos θ as a polynomial in z = θ² (Taylor to θ^20). */
function cosPoly(z: number): number {
  let p = 1 / 2432902008176640000; // 1/20!
  p = -1 / 6402373705728000 + z * p;
  p = 1 / 20922789888000 + z * p;
  p = -1 / 87178291200 + z * p;
  p = 1 / 479001600 + z * p;
  p = -1 / 3628800 + z * p;
  p = 1 / 40320 + z * p;
  p = -1 / 720 + z * p;
  p = 1 / 24 + z * p;
  p = -1 / 2 + z * p;
  return 1 + z * p;
}

/** sin θ / θ as a polynomial in z = θ² (Taylor to θ^21). */
function sinPoly(z: number): number {
  let p = 1 / 51090942171709440000; // 1/21!
  p = -1 / 121645100408832000 + z * p;
  p = 1 / 355687428096000 + z * p;
  p = -1 / 1307674368000 + z * p;
  p = 1 / 6227020800 + z * p;
  p = -1 / 39916800 + z * p;
  p = 1 / 362880 + z * p;
  p = -1 / 5040 + z * p;
  p = 1 / 120 + z * p;
  p = -1 / 6 + z * p;
  return 1 + z * p;
}
