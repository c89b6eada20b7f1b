import { useEffect, useRef, useState } from 'react';
import { afterNextFrame } from '../frames';
import { LESSON_ACTIONS, runLessonAction, workerBusy } from '../lesson/actions';
import { highlight } from '../lesson/highlight';
import { dispatchLesson, useLesson } from '../lesson/lessonStore';
import { LESSON_STEPS } from '../lesson/steps';
import { store, useUi } from '../state/store';

/** How often the step's live numbers are read again while a run streams (ms). */
const LIVE_INTERVAL_MS = 500;

/**
 * The step's line of measured numbers, read at render so a new step never shows the last step's line
 * (the series is outside the state, hence a re-render every LIVE_INTERVAL_MS while points may stream);
 * no timer while the lesson is closed or the step has no such line.
 */
function useLiveLine(step: number, open: boolean): string | null {
  const [, setTick] = useState(0);
  const hasLive = open && LESSON_STEPS[step]?.live !== undefined;
  useEffect(() => {
    if (!hasLive) return;
    const timer = setInterval(() => setTick((n) => n + 1), LIVE_INTERVAL_MS);
    return () => clearInterval(timer);
  }, [hasLive]);
  return LESSON_STEPS[step]?.live?.(store.get(), store.series) ?? null;
}

/**
 * The guided lesson (issue #16): one step at a time in a card docked at the bottom of the window,
 * the panel it talks about outlined and scrolled into view. Skippable (Close, Escape), linkable
 * (`?lesson=n`), and keyboard-driven (← →) while focus is in the card.
 */
export function LessonDock() {
  const { open, step } = useLesson();
  const spec = LESSON_STEPS[step];
  const live = useLiveLine(step, open);
  const action = spec?.action ? LESSON_ACTIONS[spec.action] : null;
  const actionDone = useUi((s) => (action ? action.done(s) : false));
  const busy = useUi(workerBusy);
  const ready = useUi((s) => s.backend !== null);
  const card = useRef<HTMLElement>(null);
  useEffect(() => (open && spec ? highlight(spec.target) : undefined), [open, spec]);
  // Focus moves into the card when the lesson opens (keyboard users land on it), not on every step; a frame later,
  // since focusing lays the page out, and the click's task (already the dock's commit) need not pay for it.
  useEffect(() => (open ? afterNextFrame(() => card.current?.focus({ preventScroll: true })) : undefined), [open]);
  if (!open || !spec) return null;
  const last = step === LESSON_STEPS.length - 1;
  return (
    <aside
      className="lesson-dock"
      data-testid="lesson"
      data-step={step + 1}
      aria-label="Guided lesson"
      tabIndex={-1}
      ref={card}
      onKeyDown={(e) => {
        if (e.target instanceof HTMLInputElement) return;
        if (e.key === 'Escape') dispatchLesson({ type: 'close' });
        else if (e.key === 'ArrowRight') dispatchLesson({ type: 'next' });
        else if (e.key === 'ArrowLeft') dispatchLesson({ type: 'back' });
      }}
    >
      <div className="lesson-head">
        <h2 data-testid="lesson-title" aria-live="polite">
          <span className="lesson-count">
            Step {step + 1} of {LESSON_STEPS.length}
          </span>{' '}
          {spec.title}
        </h2>
        <nav className="lesson-dots" aria-label="Lesson steps">
          {LESSON_STEPS.map((s, i) => (
            <button
              key={s.title}
              className={i === step ? 'dot current' : 'dot'}
              aria-label={`Step ${i + 1}: ${s.title}`}
              aria-current={i === step ? 'step' : undefined}
              onClick={() => dispatchLesson({ type: 'goto', step: i })}
            />
          ))}
        </nav>
      </div>
      <p className="lesson-body">{spec.body}</p>
      {live && (
        <p className="lesson-live" data-testid="lesson-live">
          {live}
        </p>
      )}
      <div className="lesson-buttons">
        {action && (
          <button
            className="primary"
            data-testid="lesson-action"
            disabled={actionDone || busy || !ready}
            onClick={() => runLessonAction(spec.action!)}
          >
            {actionDone ? `${action.label} ✓` : action.label}
          </button>
        )}
        <span className="grow" />
        <button data-testid="lesson-back" disabled={step === 0} onClick={() => dispatchLesson({ type: 'back' })}>
          Back
        </button>
        <button className="primary" data-testid="lesson-next" onClick={() => dispatchLesson({ type: 'next' })}>
          {last ? 'Finish' : 'Next'}
        </button>
        <button data-testid="lesson-close" onClick={() => dispatchLesson({ type: 'close' })}>
          Skip the lesson
        </button>
      </div>
    </aside>
  );
}
