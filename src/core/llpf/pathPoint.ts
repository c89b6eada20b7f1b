/**
 * The path-point schema (docs/ALGORITHMS.md, "The path point"): the only module that knows a point's fields, its packed
 * column layout for transfer, its JSONL line and its CSV header. Producers, the worker's
 * batching, the UI's series and both exports (app and CLI) go through these functions, so a
 * file exported by the app and one written by the CLI are the same format.
 * No TF.js here: the UI imports it.
 */
export * from './pointFields';
export * from './pointColumns';
export * from './pointText';
