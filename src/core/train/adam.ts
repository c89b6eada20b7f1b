import * as tf from '../tf';

/**
 * Adam (Kingma & Ba 2015) with PyTorch's `torch.optim.Adam` semantics (no amsgrad):
 * g ← g + λ·p (weight_decay, L2 as PyTorch), m ← β₁m + (1−β₁)g, v ← β₂v + (1−β₂)g²,
 * p ← p − (lr / (1−β₁ᵗ)) · m / (√v / √(1−β₂ᵗ) + ε). Used to sample minimisers of different
 * flatness (Pittorino et al. 2022; SPEC §7) and to train binary networks.
 */
export interface AdamOptions {
  /** Learning rate (PyTorch default 1e-3). */
  lr: number;
  /** β₁, decay of the first-moment average (default 0.9). */
  beta1?: number;
  /** β₂, decay of the second-moment average (default 0.999). */
  beta2?: number;
  /** ε added to the denominator (default 1e-8). */
  eps?: number;
  /** L2 penalty λ added to the gradient (default 0). */
  weightDecay?: number;
}

export class Adam {
  /** Steps taken (t in the bias corrections). */
  t = 0;
  private readonly m = new Map<string, tf.Variable>();
  private readonly v = new Map<string, tf.Variable>();

  constructor(readonly opts: AdamOptions) {}

  /** One update of every variable that has a gradient; grads keyed like `vars`. */
  apply(vars: ReadonlyMap<string, tf.Variable>, grads: ReadonlyMap<string, tf.Tensor>): void {
    this.t++;
    const { lr, beta1 = 0.9, beta2 = 0.999, eps = 1e-8, weightDecay = 0 } = this.opts;
    const bc1 = 1 - beta1 ** this.t;
    const bc2 = 1 - beta2 ** this.t;
    for (const [name] of grads) {
      const p = vars.get(name);
      if (!p) throw new Error(`Adam: no variable ${name}`);
      this.buffer(this.m, name, p);
      this.buffer(this.v, name, p);
    }
    tf.tidy(() => {
      for (const [name, g0] of grads) {
        const p = vars.get(name)!;
        const g = weightDecay ? tf.add(g0, tf.mul(p, weightDecay)) : g0;
        const m = this.buffer(this.m, name, p);
        const v = this.buffer(this.v, name, p);
        m.assign(tf.add(tf.mul(m, beta1), tf.mul(g, 1 - beta1)));
        v.assign(tf.add(tf.mul(v, beta2), tf.mul(tf.square(g), 1 - beta2)));
        const denom = tf.add(tf.div(tf.sqrt(v), Math.sqrt(bc2)), eps);
        p.assign(tf.sub(p, tf.mul(tf.div(m, denom), lr / bc1)));
      }
    });
  }

  dispose(): void {
    tf.dispose([...this.m.values(), ...this.v.values()]);
    this.m.clear();
    this.v.clear();
  }

  private buffer(store: Map<string, tf.Variable>, name: string, like: tf.Tensor): tf.Variable {
    let b = store.get(name);
    if (!b) {
      const zeros = tf.zerosLike(like);
      b = tf.variable(zeros, false);
      zeros.dispose();
      store.set(name, b);
    }
    return b;
  }
}
