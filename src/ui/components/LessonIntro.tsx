import { dispatchLesson, useLesson } from '../lesson/lessonStore';
import { LESSON_STEPS } from '../lesson/steps';

/** The first thing a visitor reads: what the app shows, and the guided lesson's start button (issue #16). */
export function LessonIntro() {
  const { open, step } = useLesson();
  return (
    <div className="intro">
      <p className="lead">
        Two networks trained from different seeds land in different minima, yet a path of models with low training loss
        joins them. Here you build such paths live with the LLPF algorithms of Tian et al. (2025): step toward the
        destination, project back onto the variance sphere, retrain briefly, repeat.
      </p>
      <button
        className="lesson-start"
        data-testid="lesson-start"
        onClick={() => dispatchLesson(open ? { type: 'goto', step } : { type: 'start' })}
      >
        {open
          ? `Lesson: step ${step + 1} of ${LESSON_STEPS.length}`
          : `Take the guided lesson (${LESSON_STEPS.length} steps)`}
      </button>
    </div>
  );
}
