/**
 * Points in columns as the series takes them: the worker's PointColumns (src/core/llpf/pointFields.ts),
 * or columns packed from a points.jsonl (runFiles.ts). `testSubset`, `testFull` and the `trainEval*`
 * columns are absent from older producers and stored runs.
 */
export interface SeriesColumns {
  count: number;
  tick: ArrayLike<number>;
  wallTimeMs: ArrayLike<number>;
  rounds: ArrayLike<number>;
  trainLoss: ArrayLike<number>;
  trainAccuracy: ArrayLike<number>;
  testLoss: ArrayLike<number>;
  testAccuracy: ArrayLike<number>;
  testSamples: ArrayLike<number>;
  testFull?: ArrayLike<number>;
  /** Which test images: an index into TEST_SUBSET_KINDS (NaN when none ran). */
  testSubset?: ArrayLike<number>;
  /** Fixed-train-subset loss, accuracy, image count (NaN/0 where not measured). */
  trainEvalLoss?: ArrayLike<number>;
  trainEvalAccuracy?: ArrayLike<number>;
  trainEvalSamples?: ArrayLike<number>;
  /** count × tensors × 4, in TENSOR_METRICS order. */
  tensorMetrics: ArrayLike<number>;
  /** count × groups. */
  stepLength: ArrayLike<number>;
  tickMs: ArrayLike<number>;
  sgdMs: ArrayLike<number>;
}

/** MNIST's test set: an evaluation on this many images used all of it (for producers without `testFull`). */
const FULL_TEST_SET = 10000;

/** A growable column of numbers (capacity doubles), so 30,000 points cost no reallocation churn. */
class Column {
  data = new Float64Array(1024);
  length = 0;
  push(values: ArrayLike<number>, stride = 1, offset = 0): void {
    const n = Math.floor((values.length - offset + stride - 1) / stride);
    if (this.length + n > this.data.length) {
      const bigger = new Float64Array(Math.max(this.data.length * 2, this.length + n));
      bigger.set(this.data.subarray(0, this.length));
      this.data = bigger;
    }
    for (let i = 0; i < n; i++) this.data[this.length + i] = values[offset + i * stride];
    this.length += n;
  }
  view(from = 0): Float64Array {
    return this.data.subarray(from, this.length);
  }
}

export type TensorMetric = 'distToDest' | 'distToOrigin' | 'variance' | 'cosineToStart';
export const TENSOR_METRICS: readonly TensorMetric[] = ['distToDest', 'distToOrigin', 'variance', 'cosineToStart'];
const METRICS = TENSOR_METRICS;

/**
 * All points of the current run, column by column, held outside React state: panels
 * subscribe and append only what is new (Plotly.extendTraces), once per animation frame.
 */
export class PathSeries {
  readonly tick = new Column();
  readonly wallTimeMs = new Column();
  readonly rounds = new Column();
  readonly trainLoss = new Column();
  readonly trainAccuracy = new Column();
  readonly testLoss = new Column();
  readonly testAccuracy = new Column();
  /** Test images each evaluation used (0 where none ran). */
  readonly testSamples = new Column();
  /** 1: the evaluation used the full test set, 0: its first `testSamples` images, NaN: none ran. */
  readonly testFull = new Column();
  /** Index into TEST_SUBSET_KINDS ("full", "first", "random", "unknown"); NaN where none ran. */
  readonly testSubset = new Column();
  /** Train loss on the fixed train subset (SPEC §9's measure), NaN where not measured. */
  readonly trainEvalLoss = new Column();
  readonly trainEvalAccuracy = new Column();
  readonly trainEvalSamples = new Column();
  readonly tickMs = new Column();
  readonly sgdMs = new Column();
  /** tensor name → metric → column. */
  readonly tensors = new Map<string, Record<TensorMetric, Column>>();
  /** group name → step length column. */
  readonly stepLength = new Map<string, Column>();
  private listeners = new Set<() => void>();

  constructor(
    public runId: string,
    readonly tensorNames: string[],
    readonly groupNames: string[],
  ) {
    for (const t of tensorNames)
      this.tensors.set(t, {
        distToDest: new Column(),
        distToOrigin: new Column(),
        variance: new Column(),
        cosineToStart: new Column(),
      });
    for (const g of groupNames) this.stepLength.set(g, new Column());
  }

  get length(): number {
    return this.tick.length;
  }

  append(c: SeriesColumns): void {
    this.tick.push(c.tick);
    this.wallTimeMs.push(c.wallTimeMs);
    this.rounds.push(c.rounds);
    this.trainLoss.push(c.trainLoss);
    this.trainAccuracy.push(c.trainAccuracy);
    this.testLoss.push(c.testLoss);
    this.testAccuracy.push(c.testAccuracy);
    // Runs stored before the sample count travelled have none: 0 (unknown) then.
    const samples = (c.testSamples as ArrayLike<number> | undefined) ?? new Float64Array(c.count);
    this.testSamples.push(samples);
    const full = Array.from({ length: c.count }, (_, i) => {
      const f = c.testFull?.[i] ?? NaN;
      if (Number.isNaN(c.testAccuracy[i])) return NaN;
      return Number.isNaN(f) ? Number(samples[i] >= FULL_TEST_SET) : f;
    });
    this.testFull.push(full);
    // Producers before the subset code: "full" (0) or "first" (1), as the sample count says.
    const subset = Array.from({ length: c.count }, (_, i) =>
      Number.isNaN(full[i]) ? NaN : (c.testSubset?.[i] ?? (full[i] === 1 ? 0 : 1)),
    );
    this.testSubset.push(subset);
    const none = new Float64Array(c.count).fill(NaN);
    this.trainEvalLoss.push(c.trainEvalLoss ?? none);
    this.trainEvalAccuracy.push(c.trainEvalAccuracy ?? none);
    this.trainEvalSamples.push(c.trainEvalSamples ?? new Float64Array(c.count));
    this.tickMs.push(c.tickMs);
    this.sgdMs.push(c.sgdMs);
    const T = this.tensorNames.length;
    this.tensorNames.forEach((name, t) => {
      const cols = this.tensors.get(name)!;
      METRICS.forEach((m, k) => cols[m].push(c.tensorMetrics, T * 4, t * 4 + k));
    });
    const G = this.groupNames.length;
    this.groupNames.forEach((g, k) => this.stepLength.get(g)!.push(c.stepLength, G, k));
    this.listeners.forEach((l) => l());
  }

  /** Continue this series in a resumed run: keep points up to `tick`, accept the new run's points. */
  continueAs(runId: string, tick: number): void {
    let n = 0;
    while (n < this.tick.length && this.tick.data[n] <= tick) n++;
    const all: Column[] = [
      this.tick,
      this.wallTimeMs,
      this.rounds,
      this.trainLoss,
      this.trainAccuracy,
      this.testLoss,
      this.testAccuracy,
      this.testSamples,
      this.testFull,
      this.testSubset,
      this.trainEvalLoss,
      this.trainEvalAccuracy,
      this.trainEvalSamples,
      this.tickMs,
      this.sgdMs,
      ...this.stepLength.values(),
    ];
    for (const cols of this.tensors.values()) all.push(...Object.values(cols));
    for (const c of all) c.length = Math.min(c.length, n);
    this.runId = runId;
    this.listeners.forEach((l) => l());
  }

  /** ‖P − D‖ of a layer group at point i: weight and bias together. */
  groupDistanceAt(group: string, i: number): number {
    return Math.hypot(
      this.tensors.get(`${group}.weight`)!.distToDest.data[i],
      this.tensors.get(`${group}.bias`)!.distToDest.data[i],
    );
  }

  /** ‖P − D‖ of a layer group: weight and bias together. */
  groupDistance(group: string, from = 0): Float64Array {
    const w = this.tensors.get(`${group}.weight`)!.distToDest.view(from);
    const b = this.tensors.get(`${group}.bias`)!.distToDest.view(from);
    return w.map((x, i) => Math.hypot(x, b[i]));
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
