// Buffer layouts of the fused LeNet5 WebGPU step (issue #10): the engine layouts of SPEC §2
// (conv HWIO, dense [in, out], activations H, W, C, fc1 inputs in H·W·C order).

/** Offsets (floats) in the packed small-parameter buffer: conv weights and every bias. */
export const PACK = {
  C1W: 0,
  C1B: 150,
  C2W: 156,
  C2B: 2556,
  F1B: 2572,
  F2B: 2692,
  F3B: 2776,
  SIZE: 2786,
} as const;

/**
 * Offsets (floats) of one image's block in the step's workspace; image b starts at b·IMAGE.
 * Pool windows are 2×2; an argmax is the window position 0..3 (row-major) stored as a float.
 */
export const WS = {
  /** conv1 pre-activation (bias added) at each pool-1 argmax, 14 × 14 × 6. */
  P1PRE: 0,
  /** Pool-1 argmax, 14 × 14 × 6. */
  P1ARG: 1176,
  /** dLoss/d(conv1 pre-activation) at each pool-1 argmax (0 where the ReLU is off), 14 × 14 × 6. */
  DPRE1: 2352,
  /** conv2 pre-activation at each pool-2 argmax, 5 × 5 × 16 (= fc1's input order before the ReLU). */
  P2PRE: 3528,
  /** Pool-2 argmax, 5 × 5 × 16. */
  P2ARG: 3928,
  /** dLoss/d(conv2 pre-activation) at each pool-2 argmax, 5 × 5 × 16. */
  DPRE2: 4328,
  /** fc1 output after ReLU, 120. */
  H1: 4728,
  /** dLoss/d(fc1 pre-activation), 120. */
  DH1: 4848,
  /** fc2 output after ReLU, 84. */
  H2: 4968,
  /** dLoss/d(fc2 pre-activation), 84. */
  DH2: 5052,
  /** dLoss/dlogits (already divided by the batch size), 10. */
  DLOG: 5136,
  /** This image's cross-entropy −Σ y·log softmax. */
  LOSS: 5146,
  /** 1 when the top-1 prediction matches the label's argmax, else 0. */
  HIT: 5147,
  /** Floats per image. */
  IMAGE: 5148,
} as const;

/** WGSL constants for the layouts above (`const WS_P1PRE = 0;` …). */
export function layoutWgsl(): string {
  const lines: string[] = [];
  for (const [k, v] of Object.entries(PACK)) lines.push(`const PK_${k} = ${v};`);
  for (const [k, v] of Object.entries(WS)) lines.push(`const WS_${k} = ${v};`);
  return lines.join('\n');
}
