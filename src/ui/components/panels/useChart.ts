import { useEffect, useRef } from 'react';
import { ChartView, type ChartSource } from '../../plots/chartView';

/**
 * A canvas chart (plots/chartView) in the returned element, drawing `source`: a new `source` (keep it
 * in a useCallback over what it reads) is a redraw, in a task of its own; `whenVisible`: only while on screen.
 */
export function useChart(label: string, source: ChartSource, whenVisible = false) {
  const el = useRef<HTMLDivElement>(null);
  const view = useRef<ChartView | null>(null);
  useEffect(() => {
    const v = new ChartView(el.current!, label, () => null, whenVisible);
    view.current = v;
    return () => {
      v.dispose();
      view.current = null;
    };
  }, [label, whenVisible]);
  useEffect(() => view.current?.show(source), [source]);
  return el;
}
