import type { EvalSet } from '../core/data/batches';
import type { HostParams } from '../core/model/lenet5';
import { readPathCheckpoint } from '../core/io/checkpoint';
import { alignTo } from '../core/geometry/align';
import { canonicalize, canonicalizeWithScale, sphereNorms } from '../core/geometry/canonical';
import { canonicalPair, compareModels } from '../core/geometry/compare';
import { disposeModel, hostErrorRate, predictions, upload } from '../core/geometry/errors';
import { l2Distance, lerpModels, slerpModels } from '../core/geometry/geodesic';
import { barrierOf, evenT, type ErrorProfile } from '../core/geometry/landscape';
import { localEnergy } from '../core/geometry/flatness';
import { ALL_LAYERS, UNITS } from '../core/geometry/units';
import { readModel, type JobContext } from './geometryContext';
import type { AlignmentView, CanonicalView, GeometryJob, ProfilePath } from './geometryProtocol';

/**
 * The geometry worker's analyses of given models (issue #14; SPEC §7): canonical form and alignment,
 * distances, the 0-1 error along the geodesic and the straight line, and flatness (local energy).
 * Each job streams progress and yields between units of work so a cancel is seen.
 */
type Job<T extends GeometryJob['type']> = Extract<GeometryJob, { type: T }>;

async function predictionsOf(host: HostParams, set: EvalSet): Promise<Int32Array> {
  const d = upload(host);
  try {
    return await predictions(d, set);
  } finally {
    disposeModel(d);
  }
}

const sameCount = (p: Int32Array, q: Int32Array) => p.reduce((n, v, i) => n + (v === q[i] ? 1 : 0), 0);

/** Canonical form of A (norms before/after, same predictions) and B aligned to A (L2 before/after). */
export async function canonicalJob(ctx: JobContext, msg: Job<'canonical'>): Promise<void> {
  const a = readModel(msg.a);
  const test = ctx.test(msg.testImages);
  const total = msg.b ? 4 : 2;
  ctx.progress(0, total, 'canonical form of ' + msg.a.name);
  const { params: ca, logitScale } = canonicalizeWithScale(a);
  const original = await predictionsOf(a, test);
  const canonical = await predictionsOf(ca, test);
  const testError = await hostErrorRate(a, test);
  ctx.progress(1, total, 'predictions compared');
  await ctx.checkpoint();
  let alignment: AlignmentView | null = null;
  if (msg.b) {
    const b = readModel(msg.b);
    ctx.progress(2, total, `aligning ${msg.b.name} to ${msg.a.name} (weight matching)`);
    const rawAligned = alignTo(a, b).aligned;
    await ctx.checkpoint();
    const pair = canonicalPair(a, b);
    ctx.progress(3, total, 'predictions of the aligned canonical B');
    const same = sameCount(await predictionsOf(b, test), await predictionsOf(pair.b, test));
    alignment = {
      name: msg.b.name,
      l2Before: l2Distance(a, b),
      l2After: l2Distance(a, rawAligned),
      canonicalL2Before: l2Distance(pair.a, canonicalize(b)),
      canonicalL2After: l2Distance(pair.a, pair.b),
      samePredictions: same,
    };
  }
  const view: CanonicalView = {
    name: msg.a.name,
    layers: ALL_LAYERS.map((layer) => ({ layer, count: layer === 'fc3' ? 1 : UNITS[layer] })),
    normsBefore: sphereNorms(a),
    normsAfter: sphereNorms(ca),
    logitScale,
    testImages: test.count,
    samePredictions: sameCount(original, canonical),
    testError,
    alignment,
  };
  ctx.post({ v: 1, type: 'canonicalDone', runId: ctx.runId, view }, [
    view.normsBefore.buffer as ArrayBuffer,
    view.normsAfter.buffer as ArrayBuffer,
  ]);
}

/** Raw L2, aligned L2, geodesic, function distance and both test errors (`lowloss compare`). */
export async function compareJob(ctx: JobContext, msg: Job<'compare'>): Promise<void> {
  ctx.progress(0, 1, `comparing ${msg.a.name} and ${msg.b.name}`);
  const result = await compareModels(readModel(msg.a), readModel(msg.b), ctx.test(msg.testImages));
  ctx.post({ v: 1, type: 'compareDone', runId: ctx.runId, result });
}

/**
 * 0-1 train and test error at evenly spaced t along a path, one `profilePoint` event per point,
 * with the barriers (SPEC §9) at the end. `done0` offsets the progress count.
 */
export async function profileAlong(
  ctx: JobContext,
  path: ProfilePath,
  at: (t: number) => HostParams,
  points: number,
  sets: { train: EvalSet; test: EvalSet },
  progress: { done: number; total: number },
): Promise<ErrorProfile> {
  const t = evenT(points);
  const trainError: number[] = [];
  const testError: number[] = [];
  for (let i = 0; i < t.length; i++) {
    const m = at(t[i]);
    trainError.push(await hostErrorRate(m, sets.train));
    testError.push(await hostErrorRate(m, sets.test));
    ctx.post({
      v: 1,
      type: 'profilePoint',
      runId: ctx.runId,
      path,
      i,
      t: t[i],
      trainError: trainError[i],
      testError: testError[i],
    });
    ctx.progress(progress.done + i + 1, progress.total, `${path}: t = ${t[i].toFixed(2)}`);
    await ctx.checkpoint();
  }
  return { t, trainError, testError, barrier: barrierOf(t, trainError), testBarrier: barrierOf(t, testError) };
}

/** The error landscape along the geodesic (canonical aligned pair) and along the raw straight line. */
export async function landscapeJob(ctx: JobContext, msg: Job<'landscape'>): Promise<void> {
  const [a, b] = [readModel(msg.a), readModel(msg.b)];
  const sets = { train: ctx.train(msg.trainImages), test: ctx.test(msg.testImages) };
  const total = 2 * msg.points;
  ctx.progress(0, total, 'canonical form and alignment');
  const pair = canonicalPair(a, b);
  await ctx.checkpoint();
  const geodesic = await profileAlong(ctx, 'geodesic', (t) => slerpModels(pair.a, pair.b, t), msg.points, sets, {
    done: 0,
    total,
  });
  const line = await profileAlong(ctx, 'line', (t) => lerpModels(a, b, t), msg.points, sets, {
    done: msg.points,
    total,
  });
  ctx.post({ v: 1, type: 'landscapeDone', runId: ctx.runId, geodesic, line });
}

/** δE(σ) of each model, then of each path snapshot, with its test error (flatness against test error). */
export async function flatnessJob(ctx: JobContext, msg: Job<'flatness'>): Promise<void> {
  const items = [
    ...msg.models.map((m) => ({ label: m.name, tick: null, read: () => readModel(m) })),
    ...msg.snapshots.map((s) => ({
      label: `tick ${s.tick}`,
      tick: s.tick,
      read: () => readPathCheckpoint(new Uint8Array(s.bytes)).params,
    })),
  ];
  if (!items.length) throw new Error('flatness: no models given');
  const train = ctx.train(msg.flatness.trainImages);
  const test = ctx.test(msg.testImages);
  const { sigmas, samples, seed } = msg.flatness;
  for (let i = 0; i < items.length; i++) {
    ctx.progress(i, items.length, `local energy of ${items[i].label}`);
    const host = items[i].read();
    const result = await localEnergy(host, train, { sigmas, samples, seed });
    const testError = await hostErrorRate(host, test);
    const row = { label: items[i].label, tick: items[i].tick, result, testError };
    ctx.post({ v: 1, type: 'flatnessRow', runId: ctx.runId, index: i, row });
    await ctx.checkpoint();
  }
  ctx.progress(items.length, items.length, 'done');
}
