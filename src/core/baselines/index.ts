/**
 * Baselines and the landscape around the path (SPEC §9, issue #13): the public API for the
 * session driver, the worker and the CLI. Each long computation is an async generator of typed
 * events ending in a `done` event; `drain` runs one to its end.
 */
export { FLAT_SIZE, flatten, unflatten, distance } from './flat';
export {
  BARRIER_TRAIN_IMAGES,
  barrierOf,
  createBaselineSets,
  drain,
  evaluatePath,
  evenlySpaced,
  interpolateLine,
  linePath,
  type BaselineSets,
  type LossCurve,
  type PathEvalEvent,
  type PathFn,
} from './pathEval';
export {
  curveCoefficients,
  curveLength,
  curveLrFactor,
  curvePath,
  trainCurve,
  type CurveEvent,
  type CurveKind,
  type CurveTrainOptions,
} from './curve';
export { autoNeb, chainLength, chainPath, type AutoNebEvent, type AutoNebOptions } from './autoneb';
export {
  landscapePlane,
  planeAxes,
  planeBasis,
  projectOntoPlane,
  type PlaneBasis,
  type PlaneEvent,
  type PlaneOptions,
  type PlaneResult,
  type Projection,
} from './plane';
export { barrierTable, type BarrierInput, type BarrierRow } from './table';
export { maximiseAssignment } from './assignment';
export { alignTo, applyPermutations, PERMUTED_LAYERS, type Alignment, type AlignOptions } from '../geometry/align';
