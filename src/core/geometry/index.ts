/**
 * Seed 002 (Pittorino et al. 2022, SPEC §7; issue #14): the public API of the geometry engine for
 * the worker, the CLI and the app's Geometry section. Host-independent; all on the active backend.
 */
export { canonicalize, canonicalizeWithScale, sphereNorms } from './canonical';
export { alignTo } from './align';
export { canonicalPair, compareModels, type CanonicalPair, type Comparison } from './compare';
export { geodesicDistance, l2Distance, lerpModels, slerpModels, sphereAngles } from './geodesic';
export { errorRate, functionDistance, hostErrorRate, predictions, upload, disposeModel } from './errors';
export {
  barrierOf,
  errorAlongPath,
  evenT,
  geodesicProfile,
  linearProfile,
  type ErrorProfile,
  type LandscapeSets,
} from './landscape';
export { DEFAULT_SIGMAS, localEnergy, localEnergyAlong, type FlatnessOptions, type FlatnessResult } from './flatness';
export { RECIPES, createOptimizer, type OptimizerSpec, type Recipe } from './optimizers';
export { trainModel, type TrainModelConfig, type TrainProgress } from './trainModel';
export { runTraining, type TrainRunOptions, type TrainRunResult } from './trainRun';
export { populationStudy, correlation, type PopulationTable, type MemberRow, type PairRow } from './population';
export { DEFAULT_CHAIN, chainPoint, oneBendChain, type ChainConfig, type ChainEvent } from './chain';
export { spheres, type Sphere } from './units';
