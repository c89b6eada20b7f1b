import type { PathPoint } from '../core/llpf/pathPoint';
import { LENET5, LENET5_GROUPS } from '../core/model/spec';
import { validateConfig, type RunConfig } from '../core/config';
import { toColumns } from '../worker/pointBatch';
import { PathSeries } from './pathSeries';

const TENSORS = LENET5.map((p) => p.name);
const GROUPS = [...LENET5_GROUPS];
const num = (v: number) => (Number.isNaN(v) ? null : v);

/** The run's points as JSON lines, the same shape the CLI writes (SPEC §6). */
export function seriesToJsonl(s: PathSeries): string {
  const lines: string[] = [];
  for (let i = 0; i < s.length; i++) {
    const tensors: Record<string, unknown> = {};
    for (const t of s.tensorNames) {
      const c = s.tensors.get(t)!;
      tensors[t] = { distToDest: c.distToDest.data[i], distToOrigin: c.distToOrigin.data[i], variance: c.variance.data[i], cosineToStart: c.cosineToStart.data[i] };
    }
    const testAccuracy = s.testAccuracy.data[i];
    const point = {
      tick: s.tick.data[i],
      wallTimeMs: s.wallTimeMs.data[i],
      rounds: s.rounds.data[i],
      trainLossMovingAverage: num(s.trainLoss.data[i]),
      trainAccuracy: num(s.trainAccuracy.data[i]),
      test: Number.isNaN(testAccuracy) ? null : { loss: s.testLoss.data[i], accuracy: testAccuracy },
      tensors,
      stepLength: Object.fromEntries(s.groupNames.map((g) => [g, s.stepLength.get(g)!.data[i]])),
      timing: { tickMs: s.tickMs.data[i], sgdMs: s.sgdMs.data[i] },
    };
    lines.push(JSON.stringify(point));
  }
  return lines.join('\n') + '\n';
}

/** One row per tick, one column per metric and layer (like the reference's per-metric CSVs). */
export function seriesToCsv(s: PathSeries): string {
  const head = ['tick', 'wall_time_ms', 'rounds', 'train_loss_moving_average', 'train_accuracy', 'test_loss', 'test_accuracy'];
  const metrics = ['distToDest', 'distToOrigin', 'variance', 'cosineToStart'] as const;
  for (const m of metrics) for (const t of s.tensorNames) head.push(`${m}:${t}`);
  for (const g of s.groupNames) head.push(`stepLength:${g}`);
  const rows = [head.join(',')];
  const cell = (v: number) => (Number.isNaN(v) ? '' : String(v));
  for (let i = 0; i < s.length; i++) {
    const r = [s.tick, s.wallTimeMs, s.rounds, s.trainLoss, s.trainAccuracy, s.testLoss, s.testAccuracy].map((c) => cell(c.data[i]));
    for (const m of metrics) for (const t of s.tensorNames) r.push(cell(s.tensors.get(t)![m].data[i]));
    for (const g of s.groupNames) r.push(cell(s.stepLength.get(g)!.data[i]));
    rows.push(r.join(','));
  }
  return rows.join('\n') + '\n';
}

/** Reads a points.jsonl (from the CLI or an export) into a series; a clear error names the bad line. */
export function jsonlToSeries(text: string, runId: string): PathSeries {
  const points: PathPoint[] = [];
  text.split('\n').forEach((line, i) => {
    if (!line.trim()) return;
    let p: PathPoint;
    try {
      p = JSON.parse(line);
    } catch {
      throw new Error(`points.jsonl line ${i + 1} is not JSON`);
    }
    if (typeof p?.tick !== 'number' || typeof p.tensors !== 'object' || !TENSORS.every((t) => p.tensors[t] && typeof p.tensors[t].distToDest === 'number')) {
      throw new Error(`points.jsonl line ${i + 1} is not a LeNet5 path point`);
    }
    p.stepLength ??= {};
    p.timing ??= { tickMs: NaN, sgdMs: NaN };
    points.push(p);
  });
  if (!points.length) throw new Error('points.jsonl holds no points');
  const series = new PathSeries(runId, TENSORS, GROUPS);
  series.append(toColumns(points, TENSORS, GROUPS));
  return series;
}

/** A run.json's config, if it is one of ours. */
export function configFromRunJson(text: string): RunConfig {
  const j = JSON.parse(text);
  return validateConfig({ ...j.config, moveLayers: j.config.moveLayers, trainLayers: j.config.trainLayers });
}
