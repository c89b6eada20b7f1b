import { useEffect, useState, type ReactNode } from 'react';

/** The page's sections in order: the top bar's links and the lesson's landmarks (ids are URL fragments). */
export const SECTIONS: ReadonlyArray<{ id: string; label: string }> = [
  { id: 'lesson', label: 'Demo & lesson' },
  { id: 'path', label: 'Path' },
  { id: 'geometry', label: 'Geometry' },
  { id: 'experiments', label: 'Experiments' },
];

/** How far below the top of the window a section counts as the one being read (px; the top bar's height). */
const SPY_OFFSET_PX = 140;

/** A section of the page with its heading; a section with nothing inside is not shown (nor linked). */
export function Section({ id, title, children }: { id: string; title: string; children?: ReactNode }) {
  const empty = children === undefined || children === null || (Array.isArray(children) && !children.some(Boolean));
  if (empty) return null;
  return (
    <section className="section" id={id} aria-labelledby={`${id}-title`}>
      <h2 className="section-title" id={`${id}-title`}>
        {title}
      </h2>
      {children}
    </section>
  );
}

/** The sections on the page now, and the one at the top of the window. */
function useSections(): { present: string[]; current: string | null } {
  const [present, setPresent] = useState<string[]>([]);
  const [current, setCurrent] = useState<string | null>(null);
  useEffect(() => {
    const main = document.getElementById('main');
    const find = () => setPresent(SECTIONS.map((s) => s.id).filter((id) => document.getElementById(id)));
    find();
    const observer = new MutationObserver(find);
    if (main) observer.observe(main, { childList: true });
    let frame = 0;
    const spy = () => {
      frame ||= requestAnimationFrame(() => {
        frame = 0;
        let at: string | null = null;
        for (const { id } of SECTIONS) {
          const el = document.getElementById(id);
          if (el && el.getBoundingClientRect().top <= SPY_OFFSET_PX) at = id;
        }
        setCurrent(at ?? SECTIONS[0].id);
      });
    };
    spy();
    window.addEventListener('scroll', spy, { passive: true });
    return () => {
      observer.disconnect();
      window.removeEventListener('scroll', spy);
      cancelAnimationFrame(frame);
    };
  }, []);
  return { present, current };
}

/** Links to the sections on the page; the one being read is marked (aria-current). */
export function SectionNav() {
  const { present, current } = useSections();
  return (
    <nav className="section-nav" aria-label="Sections">
      {SECTIONS.filter((s) => present.includes(s.id)).map((s) => (
        <a key={s.id} href={`#${s.id}`} aria-current={current === s.id ? 'location' : undefined}>
          {s.label}
        </a>
      ))}
    </nav>
  );
}
