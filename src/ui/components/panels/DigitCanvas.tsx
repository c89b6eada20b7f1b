import { useEffect, useRef } from 'react';
import { mnistFromDrawing } from '../../../worker/mnistDrawing';
import './PlanePanel.css';

/** Canvas side in pixels and the pen's width: a digit drawn across it gets MNIST's 2–3 px strokes at 28×28. */
const SIZE = 196;
const PEN = 15;

function blank(canvas: HTMLCanvasElement | null): void {
  const ctx = canvas?.getContext('2d');
  if (!ctx) return;
  ctx.fillStyle = '#000';
  ctx.fillRect(0, 0, canvas!.width, canvas!.height);
}

/**
 * A canvas to draw a digit on with the mouse, a pen or a finger (issue #13). After each stroke the
 * drawing is made into an MNIST-style 28×28 image (fitted into 20×20, centred by its centre of
 * mass, mnistDrawing.ts), shown as the model sees it, and handed to `onDigit` (null: cleared).
 */
export function DigitCanvas({ onDigit }: { onDigit: (image: Float32Array | null) => void }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const preview = useRef<HTMLCanvasElement>(null);
  const last = useRef<{ x: number; y: number } | null>(null);
  useEffect(() => {
    blank(canvas.current);
    blank(preview.current);
  }, []);

  const at = (e: React.PointerEvent<HTMLCanvasElement>) => {
    const r = e.currentTarget.getBoundingClientRect();
    return { x: ((e.clientX - r.left) * SIZE) / r.width, y: ((e.clientY - r.top) * SIZE) / r.height };
  };
  const line = (from: { x: number; y: number }, to: { x: number; y: number }) => {
    const ctx = canvas.current!.getContext('2d')!;
    ctx.strokeStyle = '#fff';
    ctx.lineWidth = PEN;
    ctx.lineCap = 'round';
    ctx.lineJoin = 'round';
    ctx.beginPath();
    ctx.moveTo(from.x, from.y);
    ctx.lineTo(to.x, to.y);
    ctx.stroke();
  };
  const finish = () => {
    if (!last.current) return;
    last.current = null;
    const pixels = canvas.current!.getContext('2d')!.getImageData(0, 0, SIZE, SIZE).data;
    const ink = new Float32Array(SIZE * SIZE);
    for (let i = 0; i < ink.length; i++) ink[i] = pixels[i * 4] / 255;
    const image = mnistFromDrawing(ink, SIZE, SIZE);
    const ctx = preview.current!.getContext('2d')!;
    const shown = ctx.createImageData(28, 28);
    image?.forEach((v, i) => {
      shown.data.fill(Math.round(v * 255), i * 4, i * 4 + 3);
      shown.data[i * 4 + 3] = 255;
    });
    ctx.putImageData(shown, 0, 0);
    onDigit(image);
  };
  const clear = () => {
    blank(canvas.current);
    blank(preview.current);
    onDigit(null);
  };

  return (
    <div className="digit">
      <canvas
        ref={canvas}
        className="draw"
        width={SIZE}
        height={SIZE}
        data-testid="digit-canvas"
        aria-label="draw a digit here"
        onPointerDown={(e) => {
          e.currentTarget.setPointerCapture(e.pointerId);
          const p = at(e);
          last.current = p;
          line(p, p);
        }}
        onPointerMove={(e) => {
          if (!last.current) return;
          const p = at(e);
          line(last.current, p);
          last.current = p;
        }}
        onPointerUp={finish}
        onPointerCancel={finish}
      />
      <div className="tools">
        <button data-testid="digit-clear" onClick={clear}>
          Clear
        </button>
        <span>what the model sees</span>
        <canvas ref={preview} className="preview" width={28} height={28} data-testid="digit-preview" />
        <span>28×28, centred by mass</span>
      </div>
    </div>
  );
}
