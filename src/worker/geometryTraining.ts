import * as tf from '../core/tf';
import { createBatchSource, type Batch, type BatchSource } from '../core/data/batches';
import { disposeParams, initLenet5, toHost, type Params } from '../core/model/lenet5';
import { writeLenet5 } from '../core/io/checkpoint';
import { endpointBatchSeed } from '../core/train/endpointConfig';
import { RECIPES, createOptimizer, type Recipe } from '../core/geometry/optimizers';
import { optimizerStep } from '../core/geometry/trainModel';
import { disposeVelocity, sgdStep } from '../core/train/sgd';
import { populationStudy, type PopulationMember } from '../core/geometry/population';
import { canonicalPair } from '../core/geometry/compare';
import { DEFAULT_CHAIN, chainPoint } from '../core/geometry/chain';
import { oneBendChain } from '../core/geometry/chain';
import { ownBuffer, readModel, type JobContext } from './geometryContext';
import type { GeometryJob } from './geometryProtocol';

/**
 * The geometry worker's training jobs (issue #14; Pittorino et al. 2022, §4–5; SPEC §7): a population
 * of minimisers from different optimisers and its study, and the one-bend chain between two models.
 */
type Job<T extends GeometryJob['type']> = Extract<GeometryJob, { type: T }>;

/** Steps between progress reports (and cancel checks) while training. */
const REPORT_EVERY = 50;

/**
 * One step of a recipe's optimiser; returns [loss, correct] on the device. SGD goes through core's
 * `sgdStep` (PyTorch's SGD with momentum, as the recipe's optimiser); Adam through `optimizerStep`. Both take
 * their gradients from the hand-written wasm kernel where it runs (~10× faster than autodiff).
 */
function stepper(recipe: Recipe): { step: (p: Params, b: Batch) => tf.Tensor; dispose: () => void } {
  const spec = recipe.optimizer;
  if (spec.kind === 'sgd') {
    const velocity = new Map<string, tf.Variable>();
    return {
      step: (p, b) => {
        const r = sgdStep(p, b, { lr: spec.lr, momentum: spec.momentum, velocity });
        const out = tf.stack([r.loss, r.correct]);
        tf.dispose([r.loss, r.correct]);
        return out;
      },
      dispose: () => disposeVelocity(velocity),
    };
  }
  const opt = createOptimizer(spec);
  return { step: (p, b) => optimizerStep(p, b, opt), dispose: () => opt.dispose() };
}

/**
 * Trains `params` in place with a recipe's optimiser for `epochs` epochs of `batches`: core's
 * `trainModel` loop, but it yields to the event loop at every report so a cancel message is seen
 * (trainModel has no yield point; see the issue #14 report).
 */
async function trainMember(
  ctx: JobContext,
  member: string,
  params: Params,
  batches: BatchSource,
  recipe: Recipe,
  epochs: number,
): Promise<void> {
  const totalSteps = Math.max(1, Math.round(epochs * batches.batchesPerEpoch));
  const opt = stepper(recipe);
  let sum: tf.Tensor1D = tf.zeros([2]);
  let since = 0;
  try {
    for (let step = 1; step <= totalSteps; step++) {
      const batch = batches.next();
      const r = opt.step(params, batch);
      const s = tf.add(sum, r) as tf.Tensor1D;
      tf.dispose([batch.x, batch.y, r, sum]);
      sum = s;
      since++;
      if (step % REPORT_EVERY === 0 || step === totalSteps) {
        const [loss] = await sum.data();
        if (!Number.isFinite(loss)) throw new Error(`${member}: training loss became ${loss / since} at step ${step}`);
        const trainLoss = loss / since;
        ctx.post({
          v: 1,
          type: 'trainProgress',
          runId: ctx.runId,
          member,
          step,
          totalSteps,
          trainLoss,
          testAccuracy: null,
        });
        sum.dispose();
        sum = tf.zeros([2]);
        since = 0;
        await ctx.checkpoint();
      }
    }
  } finally {
    sum.dispose();
    opt.dispose();
  }
}

/**
 * Trains `perRecipe` models per recipe (distinct seeds, unaugmented images), sends each as a file,
 * then runs the population study: per model test error and δE(σ); per pair geodesic and function
 * distances and the barriers along the geodesic.
 */
export async function populationJob(ctx: JobContext, msg: Job<'population'>): Promise<void> {
  const members: PopulationMember[] = [];
  const n = msg.recipes.length * msg.perRecipe;
  const rows = n + (n * (n - 1)) / 2;
  const total = n + rows;
  for (const [i, name] of msg.recipes.entries()) {
    const recipe = RECIPES[name];
    for (let r = 0; r < msg.perRecipe; r++) {
      const seed = msg.seed + i * msg.perRecipe + r;
      const member = `${recipe.label} seed ${seed}`;
      const epochs = recipe.epochs * msg.epochScale;
      ctx.progress(members.length, total, `training ${member} (${+epochs.toPrecision(3)} epochs)`);
      const params = initLenet5(seed);
      const batches = createBatchSource(ctx.mnist.train, { batchSize: recipe.batch, seed: endpointBatchSeed(seed) });
      try {
        await trainMember(ctx, member, params, batches, recipe, epochs);
        const host = await toHost(params);
        const meta = { seed: String(seed), recipe: recipe.label, epochs: String(epochs), trainedBy: 'geometry worker' };
        const bytes = ownBuffer(writeLenet5(host, meta));
        ctx.post({ v: 1, type: 'memberTrained', runId: ctx.runId, name: member, recipe: recipe.label, bytes }, [bytes]);
        members.push({ name: member, recipe: recipe.label, params: host });
      } finally {
        disposeParams(params);
        batches.dispose();
      }
    }
  }
  const sets = {
    flatnessTrain: ctx.train(msg.flatness.trainImages),
    landscapeTrain: ctx.train(msg.trainImages),
    test: ctx.test(msg.testImages),
  };
  let done = n;
  ctx.progress(done, total, 'flatness and test error of each model');
  const { sigmas, samples, seed } = msg.flatness;
  // populationStudy has no yield point: a cancel during it is handled by the bridge (it restarts the worker).
  await populationStudy(members, sets, {
    flatness: { sigmas, samples, seed },
    geodesicPoints: msg.geodesicPoints,
    onRow: (row) => {
      done++;
      if ('recipe' in row) ctx.post({ v: 1, type: 'memberRow', runId: ctx.runId, row });
      else ctx.post({ v: 1, type: 'pairRow', runId: ctx.runId, row });
      ctx.progress(done, total, done - n < n ? 'flatness and test error of each model' : 'geodesics between pairs');
    },
  });
}

/**
 * The one-bend chain between canonical A and canonical B aligned to A (SPEC §7): the bend trained with
 * Adam (DEFAULT_CHAIN's schedule over `maxSteps`) on unaugmented mini-batches of 64 until the largest
 * train error along the chain is ≤ `targetError`.
 */
export async function chainJob(ctx: JobContext, msg: Job<'chain'>): Promise<void> {
  const pair = canonicalPair(readModel(msg.a), readModel(msg.b));
  const sets = { train: ctx.train(msg.trainImages), test: ctx.test(msg.testImages) };
  const batches = createBatchSource(ctx.mnist.train, { batchSize: 64, seed: 14 });
  const config = {
    ...DEFAULT_CHAIN,
    maxSteps: msg.maxSteps,
    evalEvery: msg.evalEvery,
    points: msg.points,
    targetError: msg.targetError,
    logitScale: pair.logitScale,
  };
  try {
    for await (const e of oneBendChain(pair.a, pair.b, batches, sets, config)) {
      const { runId } = ctx;
      if (e.kind === 'loss') {
        ctx.post({ v: 1, type: 'chainLoss', runId, step: e.step, loss: e.loss });
        ctx.progress(e.step, msg.maxSteps, `training the bend: step ${e.step}`);
      } else if (e.kind === 'eval') {
        const { step, profile, maxTrainError } = e;
        ctx.post({ v: 1, type: 'chainEval', runId, step, profile, maxTrainError, bend: null, reachedTarget: false });
      } else {
        const { step, profile, maxTrainError, reachedTarget } = e;
        // The bend as a model file: the chain's middle point (t = ½), canonical coordinates.
        const bend = ownBuffer(writeLenet5(chainPoint(pair.a, e.bend, pair.b, 0.5), { chainBend: 'true' }));
        ctx.post({ v: 1, type: 'chainEval', runId, step, profile, maxTrainError, bend, reachedTarget }, [bend]);
      }
      await ctx.checkpoint();
    }
  } finally {
    batches.dispose();
  }
}
