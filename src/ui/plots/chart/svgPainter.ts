import {
  FONT_FAMILY,
  corners,
  textBox,
  type Box,
  type LineStyle,
  type MarkerSymbol,
  type Painter,
  type ShapeStyle,
  type TextStyle,
} from './painter';

const hex = (v: number) => Math.round(v).toString(16).padStart(2, '0');
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

  shape(kind: MarkerSymbol, x: number, y: number, r: number, s: ShapeStyle): void {
    const paint = `fill="${s.fill ?? 'none'}" stroke="${s.stroke ?? 'none'}" stroke-width="${s.strokeWidth ?? 1}"`;
    if (kind === 'circle') this.parts.push(`<circle cx="${num(x)}" cy="${num(y)}" r="${r}" ${paint}/>`);
    else if (kind === 'x') {
      const h = r * 0.8;
      const d = `M${num(x - h)} ${num(y - h)}L${num(x + h)} ${num(y + h)}M${num(x + h)} ${num(y - h)}L${num(x - h)} ${num(y + h)}`;
      if (s.stroke) this.parts.push(`<path d="${d}" stroke="${s.stroke}" stroke-width="4.5"/>`);
      this.parts.push(`<path d="${d}" stroke="${s.fill ?? '#000'}" stroke-width="2.5"/>`);
    } else {
      const points = corners(kind, x, y, r).map(([px, py]) => `${num(px)},${num(py)}`);
      this.parts.push(`<polygon points="${points.join(' ')}" ${paint}/>`);
    }
  }

  segments(xs: ArrayLike<number>, ys: ArrayLike<number>, s: LineStyle): void {
    let d = '';
    for (let i = 0; i + 1 < xs.length; i += 2) d += `M${num(xs[i])} ${num(ys[i])}L${num(xs[i + 1])} ${num(ys[i + 1])}`;
    const dash = s.dash ? ` stroke-dasharray="${s.dash.join(' ')}"` : '';
    this.parts.push(
      `<path d="${d}" fill="none" stroke="${s.color}" stroke-width="${s.width}" stroke-opacity="${s.opacity ?? 1}"${dash}/>`,
    );
  }

  /** Without a canvas to encode a PNG: a rectangle per pixel (plane grids are a few hundred cells). */
  image(rgba: Uint8ClampedArray, cols: number, rows: number, b: Box): void {
    const [w, h] = [(b.right - b.left) / cols, (b.bottom - b.top) / rows];
    for (let r = 0; r < rows; r++)
      for (let c = 0; c < cols; c++) {
        const k = 4 * (r * cols + c);
        if (!rgba[k + 3]) continue;
        const color = `#${hex(rgba[k])}${hex(rgba[k + 1])}${hex(rgba[k + 2])}`;
        this.rect(b.left + c * w, b.top + r * h, w + 0.3, h + 0.3, color);
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
