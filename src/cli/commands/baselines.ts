import { writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { HostParams } from '../../core/model/lenet5';
import { writeLenet5 } from '../../core/io/checkpoint';
import { createBatchSource, createEvalSet } from '../../core/data/batches';
import { takeSplit, type Mnist } from '../../core/data/mnist';
import { deriveSeed } from '../../core/random';
import { alignTo } from '../../core/geometry/align';
import { distance, flatten } from '../../core/baselines/flat';
import {
  createBaselineSets,
  drain,
  evaluatePath,
  evenlySpaced,
  interpolateLine,
  type LossCurve,
  type PathEvalEvent,
  type PathFn,
} from '../../core/baselines/pathEval';
import { curveLength, curvePath, trainCurve, type CurveKind } from '../../core/baselines/curve';
import { autoNeb, chainLength, chainPath } from '../../core/baselines/autoneb';
import { landscapePlane } from '../../core/baselines/plane';
import { initNodeBackend, loadMnistNode } from '../../node/nodeHost';
import { readModelFile, writeFileEnsuringDir } from './basic';
import { num, str, UsageError } from '../args';

/**
 * `lowloss interpolate | align | curve | autoneb | plane`: the baselines of SPEC §9 (issue #13).
 * Each command is `{ run, options }`, as main.ts registers commands.
 */
type Flags = Record<string, unknown>;
const string = { type: 'string' } as const;
const flag = { type: 'boolean' } as const;

/** Reads A and B (files first, so a bad file fails before the backend starts), then the backend and MNIST. */
async function setUp(flags: Flags, names: string[]): Promise<{ models: HostParams[]; mnist: Mnist }> {
  const models = names.map((n) => readModelFile(str(flags, n)).params);
  await initNodeBackend(flags.backend as string | undefined);
  return { models, mnist: loadMnistNode() };
}

/** Progress on stderr, at most once a second (stdout keeps the one JSON line). */
function progress(): (line: string, force?: boolean) => void {
  let last = 0;
  return (line, force = false) => {
    const now = performance.now();
    if (force || now - last > 1000) {
      last = now;
      console.error(line);
    }
  };
}

/** Evaluates a path at `points` positions on the train subset and the test set. */
async function evaluateAlong(mnist: Mnist, path: PathFn, points: number, label: string): Promise<LossCurve> {
  const sets = createBaselineSets(mnist);
  const log = progress();
  try {
    const onEvent = (e: PathEvalEvent) => {
      if (e.type === 'point')
        log(`${label}: t ${e.t.toFixed(3)} (${e.index + 1}/${e.total})  train loss ${e.train.loss.toFixed(4)}`);
    };
    return (await drain(evaluatePath(path, evenlySpaced(points), sets), onEvent)).curve;
  } finally {
    sets.dispose();
  }
}

function printCurve(curve: LossCurve, json: boolean): void {
  if (json) {
    console.log(JSON.stringify(curve));
    return;
  }
  console.log('    t   train loss  train acc   test loss  test acc');
  curve.t.forEach((t, i) => {
    const cols = [
      curve.trainLoss[i].toFixed(4),
      (curve.trainAccuracy[i] * 100).toFixed(2),
      curve.testLoss[i]?.toFixed(4),
      (curve.testAccuracy[i] * 100).toFixed(2),
    ];
    console.log(`${t.toFixed(3)}  ${cols.map((c) => String(c).padStart(10)).join('  ')}`);
  });
  console.log(`barrier (train loss, SPEC §9): ${curve.barrier.toFixed(4)}`);
}

const writeJson = (path: string, value: unknown) => writeFileSync(path, JSON.stringify(value, null, 2) + '\n');

/** `lowloss interpolate --a A --b B [--points 25] [--align] [--json]` */
export async function interpolateCommand(flags: Flags): Promise<void> {
  const points = num(flags, 'points', 25, { integer: true, min: 2 });
  const {
    models: [a, b0],
    mnist,
  } = await setUp(flags, ['a', 'b']);
  const b = flags.align ? alignTo(a, b0).aligned : b0;
  const sets = createBaselineSets(mnist);
  try {
    const log = progress();
    const { curve } = await drain(interpolateLine(a, b, sets, points), (e) => {
      if (e.type === 'point')
        log(`t ${e.t.toFixed(3)} (${e.index + 1}/${e.total})  train loss ${e.train.loss.toFixed(4)}`);
    });
    printCurve(curve, Boolean(flags.json));
  } finally {
    sets.dispose();
  }
}

/** `lowloss align --a A --b B --out FILE`: B's hidden units permuted to match A (SPEC §7). */
export async function alignCommand(flags: Flags): Promise<void> {
  const out = str(flags, 'out');
  const [a, b] = ['a', 'b'].map((n) => readModelFile(str(flags, n)).params);
  const r = alignTo(a, b);
  writeFileEnsuringDir(
    out,
    writeLenet5(r.aligned, { alignedTo: str(flags, 'a'), source: str(flags, 'b'), sweeps: String(r.sweeps) }),
  );
  const [before, after] = [b, r.aligned].map((m) => distance(flatten(a), flatten(m)));
  const summary = { out, sweeps: r.sweeps, distanceBefore: before, distanceAfter: after };
  if (flags.json) console.log(JSON.stringify(summary));
  else console.error(`wrote ${out}: ‖A − B‖ ${before.toFixed(4)} → ${after.toFixed(4)} (${r.sweeps} sweeps)`);
}

/** `lowloss curve --a A --b B --kind bezier|polychain [--epochs E] --out DIR` (Garipov et al. 2018). */
export async function curveCommand(flags: Flags): Promise<void> {
  const kind = str(flags, 'kind', 'bezier');
  if (kind !== 'bezier' && kind !== 'polychain')
    throw new UsageError(`--kind must be bezier or polychain, got "${kind}"`);
  const out = str(flags, 'out');
  const epochs = num(flags, 'epochs', 2, { min: 0 });
  const points = num(flags, 'points', 25, { integer: true, min: 2 });
  const batchSize = num(flags, 'batch', 64, { integer: true, min: 1 });
  const seed = num(flags, 'seed', 1, { integer: true });
  const lr = num(flags, 'lr', 0.01, { min: 0 });
  const momentum = num(flags, 'momentum', 0.9, { min: 0 });
  const {
    models: [a, b],
    mnist,
  } = await setUp(flags, ['a', 'b']);
  const batches = createBatchSource(mnist.train, { batchSize, seed: deriveSeed(seed, 'curve-batches') });
  const steps = num(flags, 'steps', Math.round(epochs * batches.batchesPerEpoch), { integer: true, min: 0 });
  const log = progress();
  let bend: HostParams;
  try {
    const opts = { kind: kind as CurveKind, steps, lr, momentum, seed: deriveSeed(seed, 'curve-t') };
    ({ bend } = await drain(trainCurve(a, b, batches, opts), (e) => {
      if (e.type === 'step')
        log(
          `${kind}: step ${e.step}/${e.totalSteps}  epoch ${e.epoch.toFixed(2)}  loss ${e.loss.toFixed(4)}`,
          e.step === steps,
        );
    }));
  } finally {
    batches.dispose();
  }
  mkdirSync(out, { recursive: true });
  writeFileSync(
    join(out, 'bend.safetensors'),
    writeLenet5(bend, { curve: kind, steps: String(steps), lr: String(lr) }),
  );
  const curve = await evaluateAlong(mnist, curvePath(kind, a, bend, b), points, kind);
  const length = curveLength(kind, a, bend, b);
  writeJson(join(out, 'curve.json'), { ...curve, kind, length, sgdSteps: steps });
  console.error(
    `wrote ${out}/bend.safetensors and curve.json: ` +
      `max train loss ${Math.max(...curve.trainLoss).toFixed(4)}, barrier ${curve.barrier.toFixed(4)}`,
  );
}

/** `lowloss autoneb --a A --b B --out DIR` (Draxler et al. 2018): DIR/path.json and DIR/pivots/. */
export async function autonebCommand(flags: Flags): Promise<void> {
  const out = str(flags, 'out');
  const opts = {
    pivots: num(flags, 'pivots', 3, { integer: true, min: 1 }),
    cycles: num(flags, 'cycles', 4, { integer: true, min: 1 }),
    stepsPerCycle: num(flags, 'steps', 50, { integer: true, min: 0 }),
    lr: num(flags, 'lr', 0.01, { min: 0 }),
    spring: num(flags, 'spring', 1, { min: 0 }),
  };
  const points = num(flags, 'points', 25, { integer: true, min: 2 });
  const seed = num(flags, 'seed', 1, { integer: true });
  const {
    models: [a, b],
    mnist,
  } = await setUp(flags, ['a', 'b']);
  const batches = createBatchSource(mnist.train, { batchSize: 64, seed: deriveSeed(seed, 'autoneb-batches') });
  const insertSet = createEvalSet(takeSplit(mnist.train, 1000));
  const log = progress();
  let result;
  try {
    result = await drain(autoNeb(a, b, batches, insertSet, opts), (e) => {
      if (e.type === 'relax')
        log(
          `cycle ${e.cycle} step ${e.step}/${e.stepsPerCycle}  ` +
            `pivot loss ${e.pivotLoss.map((l) => l.toFixed(3)).join(' ')}`,
        );
      if (e.type === 'insert')
        log(
          `cycle ${e.cycle}: pivot inserted in segment ${e.segment} (loss ${e.loss.toFixed(4)}), ${e.pivots} pivots`,
          true,
        );
    });
  } finally {
    batches.dispose();
    insertSet.dispose();
  }
  const { pivots, sgdSteps } = result;
  mkdirSync(join(out, 'pivots'), { recursive: true });
  const files = pivots.map((p, i) => {
    const file = `pivots/pivot-${String(i).padStart(2, '0')}.safetensors`;
    writeFileSync(join(out, file), writeLenet5(p, { autonebPivot: String(i) }));
    return file;
  });
  const curve = await evaluateAlong(mnist, chainPath(pivots), points, 'autoneb');
  const length = chainLength(pivots);
  let s = 0;
  const at = pivots.map((p, i) => (i === 0 ? 0 : (s += distance(flatten(pivots[i - 1]), flatten(p))) / length));
  writeJson(join(out, 'path.json'), { ...curve, kind: 'autoneb', length, sgdSteps, pivots: { t: at, files } });
  console.error(
    `wrote ${out}/path.json and ${files.length} pivots: max train loss ${Math.max(...curve.trainLoss).toFixed(4)}`,
  );
}

/** `lowloss plane --a A --b B --c C [--grid 21] [--margin 0.2] [--samples 2000] [--json]` (SPEC §9). */
export async function planeCommand(flags: Flags): Promise<void> {
  const grid = num(flags, 'grid', 21, { integer: true, min: 2 });
  const margin = num(flags, 'margin', 0.2, { min: 0 });
  const samples = num(flags, 'samples', 2000, { integer: true, min: 1 });
  const {
    models: [a, b, c],
    mnist,
  } = await setUp(flags, ['a', 'b', 'c']);
  const set = createEvalSet(takeSplit(mnist.train, samples));
  const log = progress();
  try {
    const { plane } = await drain(landscapePlane(a, b, c, set, { grid, margin }), (e) => {
      if (e.type === 'row') log(`plane: row ${e.iy + 1}/${e.rows}`);
    });
    if (flags.json) console.log(JSON.stringify(plane));
    else {
      const all = plane.trainLoss.flat();
      console.log(
        `plane ${grid}×${grid} on ${plane.samples} training images: ` +
          `train loss ${Math.min(...all).toFixed(4)}…${Math.max(...all).toFixed(4)}`,
      );
      for (const [k, [x, y]] of Object.entries(plane.points)) console.log(`${k}: (${x.toFixed(3)}, ${y.toFixed(3)})`);
    }
  } finally {
    set.dispose();
  }
}

/** The commands with their flags, in main.ts's shape. */
export const BASELINE_COMMANDS = {
  interpolate: { run: interpolateCommand, options: { a: string, b: string, points: string, align: flag, json: flag } },
  align: { run: alignCommand, options: { a: string, b: string, out: string, json: flag } },
  curve: {
    run: curveCommand,
    options: {
      a: string,
      b: string,
      kind: string,
      epochs: string,
      steps: string,
      out: string,
      points: string,
      batch: string,
      seed: string,
      lr: string,
      momentum: string,
    },
  },
  autoneb: {
    run: autonebCommand,
    options: {
      a: string,
      b: string,
      out: string,
      pivots: string,
      cycles: string,
      steps: string,
      lr: string,
      spring: string,
      points: string,
      seed: string,
    },
  },
  plane: {
    run: planeCommand,
    options: { a: string, b: string, c: string, grid: string, margin: string, samples: string, json: flag },
  },
};

/** Usage lines for main.ts's USAGE. */
export const BASELINES_USAGE = `  lowloss interpolate --a A --b B [--points 25] [--align] [--json]
  lowloss align --a A --b B --out FILE [--json]
  lowloss curve --a A --b B --kind bezier|polychain [--epochs 2] [--steps N] [--lr 0.01] --out DIR
  lowloss autoneb --a A --b B [--pivots 3] [--cycles 4] [--steps 50] [--spring 1] --out DIR
  lowloss plane --a A --b B --c C [--grid 21] [--margin 0.2] [--samples 2000] [--json]`;
