import { useEffect, useState } from 'react';

/** The clock (Date.now), refreshed every `ms` while `active`: for ETAs that count down between events. */
export function useNow(active: boolean, ms = 1000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!active) return;
    const t = setInterval(() => setNow(Date.now()), ms);
    return () => clearInterval(t);
  }, [active, ms]);
  return now;
}
