import { useEffect, useState } from 'react';
import { store } from './store';

/**
 * A value read from the shown path series, re-read at most every `intervalMs` while its points stream
 * in and whenever another series is shown. `same(prev, next)` keeps the previous value (no re-render).
 */
export function useSeriesView<T>(read: () => T, intervalMs: number, same?: (prev: T, next: T) => boolean): T {
  const [value, setValue] = useState(read);
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | null = null;
    const later = () => {
      timer ??= setTimeout(() => {
        timer = null;
        setValue((prev) => {
          const next = read();
          return same?.(prev, next) ? prev : next;
        });
      }, intervalMs);
    };
    let series = store.series;
    let off = series?.subscribe(later) ?? null;
    const offStore = store.subscribe(() => {
      if (store.series === series) return;
      off?.();
      series = store.series;
      off = series?.subscribe(later) ?? null;
      later();
    });
    return () => {
      off?.();
      offStore();
      if (timer) clearTimeout(timer);
    };
  }, [read, intervalMs, same]); // pass module-level functions: one subscription per mount
  return value;
}
