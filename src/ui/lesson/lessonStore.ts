import { useSyncExternalStore } from 'react';
import { LESSON_STEPS } from './steps';
import { lessonFromSearch, lessonReducer, searchWithLesson, type LessonAction, type LessonState } from './lessonState';

const listeners = new Set<() => void>();
let state: LessonState = lessonFromSearch(location.search, LESSON_STEPS.length);

/** The lesson now. */
export const lessonNow = (): LessonState => state;

let urlPending = false;
/**
 * Writes the step into the URL a task after the step's render: `replaceState` is a call into the browser
 * that a busy machine stretched to a third of the step's task (docs/UI.md, "A UI that never blocks").
 */
function writeUrlSoon(): void {
  if (urlPending) return;
  urlPending = true;
  setTimeout(() => {
    urlPending = false;
    history.replaceState(history.state, '', `${location.pathname}${searchWithLesson(location.search, state)}`);
  }, 0);
}

/** Changes the lesson and writes it into the URL (a link then opens the same step). */
export function dispatchLesson(action: LessonAction): void {
  const next = lessonReducer(state, action, LESSON_STEPS.length);
  if (next === state) return;
  state = next;
  listeners.forEach((l) => l());
  writeUrlSoon();
}

function subscribe(l: () => void): () => void {
  listeners.add(l);
  return () => listeners.delete(l);
}

/** The lesson's state, for React components. */
export function useLesson(): LessonState {
  return useSyncExternalStore(subscribe, lessonNow);
}
