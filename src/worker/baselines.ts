import { alignTo, createBaselineSets, interpolateLine, type BaselineSets } from '../core/baselines';
import type { Mnist } from '../core/data/mnist';
import type { ModelSlots } from './models';
import type { FromWorker, ToWorker } from './protocol';

type BaselineMsg = Extract<ToWorker, { type: 'baseline' }>;
type Post = (msg: FromWorker) => void;

/**
 * The straight-line baselines of issue #13 in the worker: the line A → B, or A → B aligned to A
 * (weight matching, SPEC §9), evaluated at evenly spaced t with a `baselineProgress` event per
 * point and a `baselineDone` event with the whole curve. The evaluation sets stay on the device
 * between runs (one train-subset size at a time).
 */
export class BaselineJobs {
  private sets: { trainImages: number; sets: BaselineSets } | null = null;

  constructor(
    private readonly post: Post,
    private readonly models: ModelSlots,
  ) {}

  async run(msg: BaselineMsg, mnist: Mnist): Promise<void> {
    const t0 = performance.now();
    const a = this.models.require('A', 'load or train model A first').params;
    const b = this.models.require('B', 'load or train model B first').params;
    const end = msg.kind === 'aligned' ? alignTo(a, b).aligned : b;
    const { runId, kind, trainImages } = msg;
    for await (const e of interpolateLine(a, end, this.setsFor(mnist, trainImages), msg.points)) {
      if (e.type === 'point') {
        const { index, total, t, train, test } = e;
        const testAccuracy = test?.accuracy ?? null;
        this.post({
          v: 1,
          type: 'baselineProgress',
          runId,
          kind,
          index,
          total,
          t,
          trainLoss: train.loss,
          testAccuracy,
        });
      } else {
        const curve = { ...e.curve };
        this.post({ v: 1, type: 'baselineDone', runId, kind, curve, trainImages, ms: performance.now() - t0 });
      }
    }
  }

  private setsFor(mnist: Mnist, trainImages: number): BaselineSets {
    const count = Math.min(trainImages, mnist.train.count);
    if (this.sets?.trainImages !== count) {
      this.sets?.sets.dispose();
      this.sets = { trainImages: count, sets: createBaselineSets(mnist, count) };
    }
    return this.sets.sets;
  }
}
