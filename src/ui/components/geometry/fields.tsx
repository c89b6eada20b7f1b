import type { ReactNode } from 'react';

/** A labelled number input; `hint` is its tooltip (what the number means, with units). */
export function NumberField({
  label,
  value,
  onChange,
  min,
  max,
  step = 1,
  hint,
  testId,
}: {
  label: string;
  value: number;
  onChange: (v: number) => void;
  min: number;
  max: number;
  step?: number;
  hint: string;
  testId?: string;
}) {
  return (
    <label className="geo-field" title={hint}>
      <span>{label}</span>
      <input
        type="number"
        value={value}
        min={min}
        max={max}
        step={step}
        data-testid={testId}
        onChange={(e) => {
          const v = Number(e.target.value);
          if (Number.isFinite(v)) onChange(Math.min(max, Math.max(min, v)));
        }}
      />
    </label>
  );
}

/** A panel of the Geometry section: title, the one-line "What you see" caption, then its content. */
export function GeoPanel({
  title,
  caption,
  testId,
  wide = false,
  children,
}: {
  title: string;
  caption: string;
  testId: string;
  wide?: boolean;
  children: ReactNode;
}) {
  return (
    <section className={`panel geo-panel${wide ? ' wide' : ''}`} data-testid={testId}>
      <header>
        <h3>{title}</h3>
      </header>
      <p className="note">What you see: {caption}</p>
      {children}
    </section>
  );
}
