import { useEffect, useState } from 'react';

/**
 * False on the first render, true from a task later: a part of a panel that need not appear in the
 * same frame (the ten PCA charts, below the fold when a run starts) mounts in a task of its own, so
 * the task that mounts a run's panels stays short (docs/UI.md, "A UI that never blocks").
 */
export function useNextTask(): boolean {
  const [ready, setReady] = useState(false);
  useEffect(() => {
    const timer = setTimeout(() => setReady(true), 0);
    return () => clearTimeout(timer);
  }, []);
  return ready;
}
