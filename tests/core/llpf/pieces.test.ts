import { describe, expect, it } from 'vitest';
import * as tf from '../../../src/core/tf';
import { moveToward } from '../../../src/core/llpf/move';
import { unbiasedVariance, varianceCorrect, VARIANCE_EPS } from '../../../src/core/llpf/varianceCorrect';
import { angleConformalRates } from '../../../src/core/llpf/angleConformal';
import { createRng } from '../../../src/core/random';

const rng = createRng(11);
const rand = (shape: number[], scale = 1, offset = 0) =>
  tf.tensor(
    Float32Array.from({ length: shape.reduce((a, b) => a * b) }, () => offset + scale * rng.uniform(-1, 1)),
    shape,
  );
const read = (t: tf.Tensor) => t.dataSync() as Float32Array; // wasm: synchronous readback is safe in tests
const norm = (t: tf.Tensor) => tf.tidy(() => tf.norm(t).dataSync()[0]);
const groupNorm = (ts: tf.Tensor[]) => Math.sqrt(ts.reduce((s, t) => s + norm(t) ** 2, 0));

describe('varianceCorrect', () => {
  it('returns the variance to its target up to the ε effect and keeps the mean', () => {
    const w = rand([20, 30], 0.5, 0.2);
    const target = 0.01;
    const before = unbiasedVariance(w).dataSync()[0];
    const c = varianceCorrect(w, target);
    const after = unbiasedVariance(c).dataSync()[0];
    // Exactly: var_after = var_before · (v + ε)/(var_before + ε).
    const expected = (before * (target + VARIANCE_EPS)) / (before + VARIANCE_EPS);
    expect(after).toBeCloseTo(expected, 6);
    expect(Math.abs(after - target)).toBeLessThan(VARIANCE_EPS);
    expect(tf.mean(c).dataSync()[0]).toBeCloseTo(tf.mean(w).dataSync()[0], 5);
    tf.dispose([w, c]);
  });

  it('is the identity on a tensor already at its target variance', () => {
    const w = rand([50], 1);
    const v = unbiasedVariance(w);
    const c = varianceCorrect(w, v);
    expect(Math.max(...read(tf.abs(tf.sub(c, w))))).toBeLessThan(1e-6);
    tf.dispose([w, v, c]);
  });

  it('leaves single-element tensors unchanged', () => {
    const w = tf.tensor([3.5]);
    const c = varianceCorrect(w, 100);
    expect(read(c)[0]).toBe(3.5);
    tf.dispose([w, c]);
  });
});

describe('moveToward', () => {
  const P = new Map([
    ['a.weight', rand([4, 5])],
    ['a.bias', rand([5])],
    ['b.weight', rand([3, 3])],
    ['b.bias', rand([3])],
  ]);
  const D = new Map([
    ['a.weight', rand([4, 5], 2)],
    ['a.bias', rand([5], 2)],
    ['b.weight', rand([3, 3], 2)],
    ['b.bias', rand([3], 2)],
  ]);
  const groups = new Map([
    ['a', ['a.weight', 'a.bias']],
    ['b', ['b.weight', 'b.bias']],
  ]);
  const dist = (X: Map<string, tf.Tensor>, g: string) =>
    groupNorm(groups.get(g)!.map((n) => tf.sub(X.get(n)!, D.get(n)!)));

  it('moves each group (weight and bias together) by exactly the step length, straight toward D', () => {
    const { next, stepLengths } = moveToward(P, D, groups, { stepF: 0.3, stepA: 0, rule: 'max', clamp: false });
    for (const g of ['a', 'b']) {
      const moved = groupNorm(groups.get(g)!.map((n) => tf.sub(next.get(n)!, P.get(n)!)));
      expect(moved).toBeCloseTo(0.3, 5);
      expect(dist(next, g)).toBeCloseTo(dist(P, g) - 0.3, 4); // collinear: distance falls by the step
      expect(stepLengths.get(g)!.dataSync()[0]).toBeCloseTo(0.3, 6);
    }
    tf.dispose([...next.values(), ...stepLengths.values()]);
  });

  it('uses max(step_f, step_a·n) for "max" and step_a·n + step_f for "sum"', () => {
    const n = dist(P, 'a');
    const max = moveToward(P, D, groups, { stepF: 0.01, stepA: 0.1, rule: 'max', clamp: false });
    expect(max.stepLengths.get('a')!.dataSync()[0]).toBeCloseTo(Math.max(0.01, 0.1 * n), 5);
    const sum = moveToward(P, D, groups, { stepF: 0.01, stepA: 0.1, rule: 'sum', clamp: false });
    expect(sum.stepLengths.get('a')!.dataSync()[0]).toBeCloseTo(0.1 * n + 0.01, 5);
    for (const r of [max, sum]) tf.dispose([...r.next.values(), ...r.stepLengths.values()]);
  });

  it('overshoots D without clamp and lands on it with clamp', () => {
    const big = { stepF: 1000, stepA: 0, rule: 'max' as const };
    const over = moveToward(P, D, groups, { ...big, clamp: false });
    expect(dist(over.next, 'a')).toBeCloseTo(1000 - dist(P, 'a'), 2);
    const onto = moveToward(P, D, groups, { ...big, clamp: true });
    expect(dist(onto.next, 'a')).toBeLessThan(1e-5);
    for (const r of [over, onto]) tf.dispose([...r.next.values(), ...r.stepLengths.values()]);
  });

  it('with clamp, repeated moves reach D after exactly ceil(n/step) ticks', () => {
    const step = 0.7;
    const X = new Map([...P].map(([k, v]) => [k, tf.clone(v)]));
    const n = dist(X, 'a');
    const needed = Math.ceil(n / step);
    for (let i = 1; i <= needed; i++) {
      const { next, stepLengths } = moveToward(X, D, new Map([['a', groups.get('a')!]]), {
        stepF: step,
        stepA: 0,
        rule: 'max',
        clamp: true,
      });
      for (const [k, v] of next) {
        X.get(k)!.dispose();
        X.set(k, v);
      }
      tf.dispose([...stepLengths.values()]);
      if (i < needed) expect(dist(X, 'a')).toBeGreaterThan(1e-4);
    }
    expect(dist(X, 'a')).toBeLessThan(1e-5);
    tf.dispose([...X.values()]);
  });

  it('does not move a group that sits on its destination', () => {
    const { next, stepLengths } = moveToward(D, D, groups, { stepF: 0.5, stepA: 0, rule: 'max', clamp: false });
    expect(dist(next, 'a')).toBe(0);
    expect(stepLengths.get('a')!.dataSync()[0]).toBe(0);
    tf.dispose([...next.values(), ...stepLengths.values()]);
  });
});

describe('angleConformalRates', () => {
  it('gives weights lr_base·var_now/var_start and biases lr_base', () => {
    const start = new Map([
      ['l.weight', rand([10, 10], 1)],
      ['l.bias', rand([10], 1)],
    ]);
    const now = new Map([
      ['l.weight', tf.mul(start.get('l.weight')!, 0.5)],
      ['l.bias', start.get('l.bias')!],
    ]);
    const v0 = new Map([...start].map(([k, v]) => [k, unbiasedVariance(v)]));
    const rates = angleConformalRates(now, v0, (n) => n.endsWith('.weight'), 0.001);
    const w = rates.get('l.weight') as tf.Scalar;
    expect(w.dataSync()[0]).toBeCloseTo(0.001 * 0.25, 8); // variance scales with the square of 0.5
    expect(rates.get('l.bias')).toBe(0.001);
  });
});
