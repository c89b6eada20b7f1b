/** The session driver and the sessions built on it (paths, endpoint training). */
export { Session, type Observer, type SessionEvent, type SessionOptions, type SessionStatus } from './session';
export { SessionControl, type RunState } from './control';
export { createPathSession, type PathResume, type PathSession, type PathSessionSpec } from './pathSession';
export {
  checkpointObserver,
  evaluationObserver,
  pointObserver,
  snapshotObserver,
  type PathCheckpoint,
  type PathEvent,
  type PathObserver,
} from './pathObservers';
export { createEndpointSession, type EndpointEvent, type EndpointSession } from './endpointSession';
