/** The guided lesson's state (issue #16) as a pure reducer, and its place in the URL (`?lesson=3`). */

/** Whether the lesson is shown, and which step (0-based; the URL counts from 1). */
export interface LessonState {
  open: boolean;
  step: number;
}

export type LessonAction =
  { type: 'start' } | { type: 'next' } | { type: 'back' } | { type: 'goto'; step: number } | { type: 'close' };

/** The URL parameter that opens the lesson at a step (1-based). */
export const LESSON_PARAM = 'lesson';

export const LESSON_CLOSED: LessonState = { open: false, step: 0 };

const clamp = (step: number, count: number) => Math.min(Math.max(0, Math.floor(step)), count - 1);

/** The next state of a lesson of `count` steps. Next on the last step closes it (the lesson is done). */
export function lessonReducer(state: LessonState, action: LessonAction, count: number): LessonState {
  switch (action.type) {
    case 'start':
      return { open: true, step: state.open ? state.step : 0 };
    case 'next':
      if (!state.open) return state;
      return state.step + 1 >= count ? { open: false, step: state.step } : { open: true, step: state.step + 1 };
    case 'back':
      return state.open && state.step > 0 ? { open: true, step: state.step - 1 } : state;
    case 'goto':
      return Number.isFinite(action.step) ? { open: true, step: clamp(action.step, count) } : state;
    case 'close':
      return state.open ? { open: false, step: state.step } : state;
    default: {
      const never: never = action;
      return never;
    }
  }
}

/** The lesson a URL opens: `lesson=n` (1 … count) opens step n; anything else leaves it closed. */
export function lessonFromSearch(search: string, count: number): LessonState {
  const raw = new URLSearchParams(search).get(LESSON_PARAM);
  if (raw === null || !/^\d+$/.test(raw.trim())) return LESSON_CLOSED;
  const n = Number(raw);
  return n >= 1 ? { open: true, step: clamp(n - 1, count) } : LESSON_CLOSED;
}

/** The query string with the lesson's parameter set (open) or removed (closed); other parameters kept. */
export function searchWithLesson(search: string, state: LessonState): string {
  const p = new URLSearchParams(search);
  if (state.open) p.set(LESSON_PARAM, String(state.step + 1));
  else p.delete(LESSON_PARAM);
  const q = p.toString();
  return q ? `?${q}` : '';
}
