/**
 * The engine's single entry to TF.js. The umbrella package is used (not bare tfjs-core)
 * because it is what registers the gradient functions in every host: tfjs-core's Node build
 * ships without them and its ESM `register_all_gradients` cannot be loaded by Node.
 */
export * from '@tensorflow/tfjs';
