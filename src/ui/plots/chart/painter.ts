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

export type MarkerSymbol = 'circle' | 'square' | 'diamond' | 'x';

export interface ShapeStyle {
  fill?: string;
  stroke?: string;
  strokeWidth?: number;
}

/** The corners of a square or diamond marker of radius r around (x, y). */
export function corners(kind: 'square' | 'diamond', x: number, y: number, r: number): Array<[number, number]> {
  if (kind === 'square') {
    const h = r * 0.886; // the area of a circle of radius r
    return [
      [x - h, y - h],
      [x + h, y - h],
      [x + h, y + h],
      [x - h, y + h],
    ];
  }
  return [
    [x, y - r * 1.2],
    [x + r * 1.2, y],
    [x, y + r * 1.2],
    [x - r * 1.2, y],
  ];
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
  /** One marker of radius r at (x, y): filled, outlined, or both. */
  shape(kind: MarkerSymbol, x: number, y: number, r: number, style: ShapeStyle): void;
  /** Separate segments (xs[2k], ys[2k]) → (xs[2k+1], ys[2k+1]), stroked together (contour lines). */
  segments(xs: ArrayLike<number>, ys: ArrayLike<number>, style: LineStyle): void;
  /** A cols × rows RGBA image (row 0 on top) stretched over the box, smoothed between pixel centres. */
  image(rgba: Uint8ClampedArray, cols: number, rows: number, box: Box): void;
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

  shape(kind: MarkerSymbol, x: number, y: number, r: number, s: ShapeStyle): void {
    const c = this.ctx;
    c.save();
    c.beginPath();
    if (kind === 'circle') c.arc(x, y, r, 0, 2 * Math.PI);
    else if (kind === 'x') {
      const h = r * 0.8;
      c.moveTo(x - h, y - h);
      c.lineTo(x + h, y + h);
      c.moveTo(x + h, y - h);
      c.lineTo(x - h, y + h);
    } else {
      corners(kind, x, y, r).forEach(([px, py], i) => (i ? c.lineTo(px, py) : c.moveTo(px, py)));
      c.closePath();
    }
    const stroke = (color: string, width: number) => {
      c.strokeStyle = color;
      c.lineWidth = width;
      c.stroke();
    };
    if (kind === 'x') {
      // A cross is its strokes: the outline goes under them, wider.
      if (s.stroke) stroke(s.stroke, 4.5);
      stroke(s.fill ?? '#000', 2.5);
    } else {
      if (s.fill) {
        c.fillStyle = s.fill;
        c.fill();
      }
      if (s.stroke) stroke(s.stroke, s.strokeWidth ?? 1);
    }
    c.restore();
  }

  segments(xs: ArrayLike<number>, ys: ArrayLike<number>, s: LineStyle): void {
    const c = this.ctx;
    c.save();
    [c.strokeStyle, c.lineWidth, c.globalAlpha] = [s.color, s.width, s.opacity ?? 1];
    c.setLineDash(s.dash ? [...s.dash] : []);
    c.beginPath();
    for (let i = 0; i + 1 < xs.length; i += 2) {
      c.moveTo(xs[i], ys[i]);
      c.lineTo(xs[i + 1], ys[i + 1]);
    }
    c.stroke();
    c.restore();
  }

  image(rgba: Uint8ClampedArray, cols: number, rows: number, b: Box): void {
    const small = document.createElement('canvas');
    [small.width, small.height] = [cols, rows];
    small.getContext('2d')!.putImageData(new ImageData(new Uint8ClampedArray(rgba), cols, rows), 0, 0);
    this.ctx.save();
    this.ctx.imageSmoothingEnabled = true;
    this.ctx.drawImage(small, b.left, b.top, b.right - b.left, b.bottom - b.top);
    this.ctx.restore();
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
