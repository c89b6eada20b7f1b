import { closeSync, mkdirSync, openSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { Mode, RunConfig } from '../core/config';
import { writeLenet5, writePathCheckpoint } from '../core/io/checkpoint';
import { toJsonl, type PathPoint } from '../core/llpf/pathPoint';
import { m2mClaims, type M2mClaims } from '../core/llpf/claims';
import type { HostParams } from '../core/model/lenet5';
import type { SessionEvent, SessionStatus } from '../core/session/session';
import type { PathEvent } from '../core/session/pathObservers';

/** Summary written to run.json when the run ends (or is stopped). */
interface RunSummary {
  ticksDone: number;
  maxTrainLossMovingAverage: number | null;
  final: PathPoint | null;
  /** M2M only: the paper's two claims, in the reference's units (docs/ALGORITHMS.md). */
  claims?: M2mClaims;
}

type RunStatus = 'running' | 'done' | 'interrupted' | 'failed';
const STATUS: Record<SessionStatus, RunStatus> = { done: 'done', stopped: 'interrupted', failed: 'failed' };

/**
 * The files of a CLI path run, written as the session's events arrive: DIR/points.jsonl (one
 * point per line, the point schema's JSONL), DIR/snapshots/tick-NNNNNN.safetensors (checkpoints:
 * P, tick and batch cursor, so `--resume` continues exactly), DIR/run.json and DIR/final.safetensors.
 */
export class RunDir {
  private readonly pointsFd: number;
  private readonly info: {
    kind: 'lowloss-run';
    version: 1;
    mode: Mode;
    config: RunConfig;
    start: string;
    dest: string | null;
    resumedFrom?: string;
    backend: string;
    startedAt: string;
    status: RunStatus;
    error?: string;
    summary: RunSummary;
    finishedAt?: string;
  };

  constructor(
    readonly dir: string,
    run: { mode: Mode; config: RunConfig; start: string; dest: string | null; backend: string; resumedFrom?: string },
  ) {
    mkdirSync(join(dir, 'snapshots'), { recursive: true });
    this.pointsFd = openSync(join(dir, 'points.jsonl'), 'w');
    const summary = { ticksDone: 0, maxTrainLossMovingAverage: null, final: null };
    this.info = {
      kind: 'lowloss-run',
      version: 1,
      ...run,
      startedAt: new Date().toISOString(),
      status: 'running',
      summary,
    };
    this.writeRunJson();
  }

  get summary(): RunSummary {
    return this.info.summary;
  }

  get status(): RunStatus {
    return this.info.status;
  }

  /** The session listener: every event that leaves a trace on disk. */
  onEvent = (e: SessionEvent<PathEvent>): void => {
    switch (e.type) {
      case 'point':
        return this.addPoint(e.point);
      case 'checkpoint': {
        const name = `tick-${String(e.checkpoint.tick).padStart(6, '0')}.safetensors`;
        return writeFileSync(join(this.dir, 'snapshots', name), writePathCheckpoint(e.checkpoint));
      }
      case 'error':
        this.info.error = e.error.message;
        return;
      case 'done':
        this.info.status = STATUS[e.status];
        return;
      case 'snapshot':
      case 'progress':
      case 'state':
        return;
      default: {
        const never: never = e;
        throw new Error(`unhandled event ${JSON.stringify(never)}`);
      }
    }
  };

  private addPoint(point: PathPoint): void {
    writeSync(this.pointsFd, toJsonl(point) + '\n');
    const s = this.info.summary;
    s.ticksDone = point.tick;
    s.final = point;
    if (point.trainLossMovingAverage !== null) {
      s.maxTrainLossMovingAverage = Math.max(s.maxTrainLossMovingAverage ?? -Infinity, point.trainLossMovingAverage);
    }
  }

  /** Closes points.jsonl and writes final.safetensors (P at the last tick) and run.json. */
  finish(final: HostParams, tick: number): void {
    closeSync(this.pointsFd);
    writeFileSync(
      join(this.dir, 'final.safetensors'),
      writeLenet5(final, { tick: String(tick), mode: this.info.mode }),
    );
    this.info.finishedAt = new Date().toISOString();
    const s = this.info.summary;
    if (this.info.mode === 'm2m' && s.final) s.claims = m2mClaims(s.final, s.maxTrainLossMovingAverage);
    this.writeRunJson();
  }

  private writeRunJson(): void {
    writeFileSync(join(this.dir, 'run.json'), JSON.stringify(this.info, null, 2) + '\n');
  }
}
