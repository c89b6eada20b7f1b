/** Where a piece of text landed (px), for hit tests and overlap checks. */
export interface Box {
  left: number;
  top: number;
  right: number;
  bottom: number;
}

export interface TextStyle {
  size: number;
  color: string;
  align: 'left' | 'center' | 'right';
  baseline: 'top' | 'middle' | 'bottom';
  bold?: boolean;
  /** Turned 90° anticlockwise (a y axis title), anchored as if unturned around (x, y). */
  vertical?: boolean;
}

export interface LineStyle {
  color: string;
  width: number;
  dash?: readonly number[];
  opacity?: number;
}

/**
 * What a chart draws with: the same calls paint a canvas (live, cheap: no DOM, no layout) or write
 * an SVG document (export, and the unit tests, which run without a DOM).
 */
export interface Painter {
  readonly width: number;
  readonly height: number;
  /** Width (px) of `text` at `size` px. */
  measure(text: string, size: number, bold?: boolean): number;
  rect(x: number, y: number, w: number, h: number, color: string): void;
  /** A polyline through the points (xs[i], ys[i]). */
  line(xs: ArrayLike<number>, ys: ArrayLike<number>, style: LineStyle): void;
  dots(xs: ArrayLike<number>, ys: ArrayLike<number>, radius: number, color: string, opacity?: number): void;
  text(text: string, x: number, y: number, style: TextStyle): Box;
  /** Later drawing stays inside the box until `unclip`. */
  clip(box: Box): void;
  unclip(): void;
}

export const FONT_FAMILY = 'system-ui, sans-serif';

/** The box of a text of width w and font size `size` placed by `style` at (x, y). */
export function textBox(w: number, x: number, y: number, style: TextStyle): Box {
  const h = style.size * 1.2;
  const dx = style.align === 'left' ? 0 : style.align === 'center' ? -w / 2 : -w;
  const dy = style.baseline === 'top' ? 0 : style.baseline === 'middle' ? -h / 2 : -h;
  if (!style.vertical) return { left: x + dx, top: y + dy, right: x + dx + w, bottom: y + dy + h };
  // Turned anticlockwise: the text's left end is at the bottom, its top faces left.
  return { left: x + dy, top: y - dx - w, right: x + dy + h, bottom: y - dx };
}

export class CanvasPainter implements Painter {
  constructor(
    private readonly ctx: CanvasRenderingContext2D,
    readonly width: number,
    readonly height: number,
  ) {}

  measure(text: string, size: number, bold = false): number {
    this.ctx.font = `${bold ? 'bold ' : ''}${size}px ${FONT_FAMILY}`;
    return this.ctx.measureText(text).width;
  }

  rect(x: number, y: number, w: number, h: number, color: string): void {
    this.ctx.fillStyle = color;
    this.ctx.fillRect(x, y, w, h);
  }

  line(xs: ArrayLike<number>, ys: ArrayLike<number>, s: LineStyle): void {
    const c = this.ctx;
    c.save();
    c.strokeStyle = s.color;
    c.lineWidth = s.width;
    c.globalAlpha = s.opacity ?? 1;
    c.lineJoin = 'round';
    c.setLineDash(s.dash ? [...s.dash] : []);
    c.beginPath();
    for (let i = 0; i < xs.length; i++) (i ? c.lineTo : c.moveTo).call(c, xs[i], ys[i]);
    c.stroke();
    c.restore();
  }

  dots(xs: ArrayLike<number>, ys: ArrayLike<number>, radius: number, color: string, opacity = 1): void {
    const c = this.ctx;
    c.save();
    c.fillStyle = color;
    c.globalAlpha = opacity;
    c.beginPath();
    for (let i = 0; i < xs.length; i++) {
      c.moveTo(xs[i] + radius, ys[i]);
      c.arc(xs[i], ys[i], radius, 0, 2 * Math.PI);
    }
    c.fill();
    c.restore();
  }

  text(text: string, x: number, y: number, s: TextStyle): Box {
    const c = this.ctx;
    const w = this.measure(text, s.size, s.bold);
    c.save();
    c.fillStyle = s.color;
    c.textAlign = s.align;
    c.textBaseline = s.baseline;
    c.translate(x, y);
    if (s.vertical) c.rotate(-Math.PI / 2);
    c.fillText(text, 0, 0);
    c.restore();
    return textBox(w, x, y, s);
  }

  clip(b: Box): void {
    this.ctx.save();
    this.ctx.beginPath();
    this.ctx.rect(b.left, b.top, b.right - b.left, b.bottom - b.top);
    this.ctx.clip();
  }

  unclip(): void {
    this.ctx.restore();
  }
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const num = (v: number) => String(Math.round(v * 100) / 100);

/** Writes an SVG document; `measure` defaults to an estimate (0.55 em per character) where there is no canvas. */
export class SvgPainter implements Painter {
  private readonly parts: string[] = [];
  private clips = 0;

  constructor(
    readonly width: number,
    readonly height: number,
    private readonly measureText: (text: string, size: number, bold: boolean) => number = (t, size) =>
      t.length * size * 0.55,
  ) {}

  measure(text: string, size: number, bold = false): number {
    return this.measureText(text, size, bold);
  }

  rect(x: number, y: number, w: number, h: number, color: string): void {
    this.parts.push(`<rect x="${num(x)}" y="${num(y)}" width="${num(w)}" height="${num(h)}" fill="${color}"/>`);
  }

  line(xs: ArrayLike<number>, ys: ArrayLike<number>, s: LineStyle): void {
    const points = Array.from({ length: xs.length }, (_, i) => `${num(xs[i])},${num(ys[i])}`).join(' ');
    const dash = s.dash ? ` stroke-dasharray="${s.dash.join(' ')}"` : '';
    this.parts.push(
      `<polyline points="${points}" fill="none" stroke="${s.color}" stroke-width="${s.width}" ` +
        `stroke-opacity="${s.opacity ?? 1}" stroke-linejoin="round"${dash}/>`,
    );
  }

  dots(xs: ArrayLike<number>, ys: ArrayLike<number>, radius: number, color: string, opacity = 1): void {
    for (let i = 0; i < xs.length; i++) {
      this.parts.push(
        `<circle cx="${num(xs[i])}" cy="${num(ys[i])}" r="${radius}" fill="${color}" fill-opacity="${opacity}"/>`,
      );
    }
  }

  text(text: string, x: number, y: number, s: TextStyle): Box {
    const anchor = { left: 'start', center: 'middle', right: 'end' }[s.align];
    const baseline = { top: 'hanging', middle: 'central', bottom: 'text-after-edge' }[s.baseline];
    const turn = s.vertical ? ` transform="rotate(-90 ${num(x)} ${num(y)})"` : '';
    this.parts.push(
      `<text x="${num(x)}" y="${num(y)}" font-family="${FONT_FAMILY}" font-size="${s.size}" fill="${s.color}" ` +
        `text-anchor="${anchor}" dominant-baseline="${baseline}"${s.bold ? ' font-weight="bold"' : ''}${turn}>` +
        `${esc(text)}</text>`,
    );
    return textBox(this.measure(text, s.size, s.bold), x, y, s);
  }

  clip(b: Box): void {
    const id = `clip${++this.clips}`;
    this.parts.push(
      `<clipPath id="${id}"><rect x="${num(b.left)}" y="${num(b.top)}" width="${num(b.right - b.left)}" ` +
        `height="${num(b.bottom - b.top)}"/></clipPath><g clip-path="url(#${id})">`,
    );
  }

  unclip(): void {
    this.parts.push('</g>');
  }

  toString(): string {
    return (
      `<svg xmlns="http://www.w3.org/2000/svg" width="${this.width}" height="${this.height}" ` +
      `viewBox="0 0 ${this.width} ${this.height}">${this.parts.join('')}</svg>`
    );
  }
}
