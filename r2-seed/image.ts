// Synthetic medical-looking PNGs: a smooth gradient with soft blobs and mild noise, plus the
// annotation the question's granularity refers to, drawn into the pixels as in GMAI-MMBench.
import { PNG } from 'pngjs';
import { Rng } from './prng';

export type Overlay = 'none' | 'box' | 'contour' | 'mask';

export interface ImageSpec {
  /** Seed of the base picture: twins and re-used images share it. */
  caseSeed: number;
  width: number;
  height: number;
  /** RGB when true, else grayscale; overlays are always drawn in colour. */
  color: boolean;
  overlay: Overlay;
  /** Full-entropy noise, so the PNG is as large as its raw pixels (the benchmark's big images). */
  incompressible?: boolean;
}

/** The region the annotation marks: a wobbly ellipse (contour/mask) and its bounding box. */
interface Region {
  cx: number;
  cy: number;
  rx: number;
  ry: number;
  wobble: number;
  phase: number;
}

const OVERLAY_RGB: Record<Exclude<Overlay, 'none'>, readonly [number, number, number]> = {
  box: [0, 255, 0],
  contour: [255, 32, 32],
  mask: [255, 64, 0],
};
const MASK_ALPHA = 0.45;
const LINE_WIDTH = 2;
/**
 * One PNG object reused for every encode: PNG.sync.write only reads width, height and data,
 * while every `new PNG()` builds parser/packer streams that are never released, leaking the
 * image's buffers (gigabytes over a full run).
 */
const encoder = new PNG();

export function renderPng(spec: ImageSpec): Buffer {
  const channels = spec.color || spec.overlay !== 'none' ? 3 : 1;
  const pixels = spec.incompressible ? noisePixels(spec, channels) : basePixels(spec, channels);
  if (spec.overlay !== 'none') drawOverlay(pixels, spec, regionOf(spec));
  encoder.width = spec.width;
  encoder.height = spec.height;
  encoder.data = pixels;
  const colorType = channels === 3 ? 2 : 0;
  // Sub filter + fast deflate: the pictures are gradients, so this is small and quick.
  return PNG.sync.write(encoder, { colorType, inputColorType: colorType, inputHasAlpha: false, filterType: 1, deflateLevel: 1, deflateStrategy: 0 });
}

function regionOf(spec: ImageSpec): Region {
  const rng = new Rng(spec.caseSeed, 0x5e6);
  const { width: w, height: h } = spec;
  return {
    cx: w * (0.3 + 0.4 * rng.float()),
    cy: h * (0.3 + 0.4 * rng.float()),
    rx: w * (0.1 + 0.12 * rng.float()),
    ry: h * (0.1 + 0.12 * rng.float()),
    wobble: 0.08 + 0.12 * rng.float(),
    phase: rng.float() * 2 * Math.PI,
  };
}

function basePixels(spec: ImageSpec, channels: number): Buffer {
  const rng = new Rng(spec.caseSeed);
  const { width: w, height: h } = spec;
  const lum = new Float32Array(w * h);
  const base = 50 + 80 * rng.float();
  const gx = (rng.float() - 0.5) * (120 / w);
  const gy = (rng.float() - 0.5) * (120 / h);
  for (let y = 0, i = 0; y < h; y++) {
    for (let x = 0; x < w; x++) lum[i++] = base + gx * x + gy * y;
  }
  // The first blob sits under the annotated region so the overlay marks "something".
  const region = regionOf(spec);
  addBlob(lum, w, h, region.cx, region.cy, region.rx * 1.1, region.ry * 1.1, 60 + 50 * rng.float());
  const blobs = rng.int(2, 4);
  for (let i = 0; i < blobs; i++) {
    addBlob(lum, w, h, rng.float() * w, rng.float() * h, w * (0.05 + 0.2 * rng.float()), h * (0.05 + 0.2 * rng.float()), (rng.float() - 0.3) * 90);
  }
  const [tr, tg, tb] = spec.color ? [0.8 + 0.4 * rng.float(), 0.55 + 0.4 * rng.float(), 0.5 + 0.4 * rng.float()] : [1, 1, 1];
  const out = Buffer.allocUnsafe(w * h * channels);
  // Grain in 4×4 cells looks scanned yet compresses well; levels in steps of 4 keep PNGs small.
  const grain = new Int8Array((w + 3) >> 2);
  for (let y = 0, i = 0, o = 0; y < h; y++) {
    if ((y & 3) === 0) for (let c = 0; c < grain.length; c++) grain[c] = ((rng.uint32() >>> 30) - 1) * 3;
    for (let x = 0; x < w; x++, i++) {
      const v = (lum[i] as number) + (grain[x >> 2] as number);
      if (channels === 1) {
        out[o++] = level(v);
      } else {
        out[o++] = level(v * tr);
        out[o++] = level(v * tg);
        out[o++] = level(v * tb);
      }
    }
  }
  return out;
}

function noisePixels(spec: ImageSpec, channels: number): Buffer {
  const rng = new Rng(spec.caseSeed, 0x401);
  const out = Buffer.allocUnsafe(spec.width * spec.height * channels);
  for (let i = 0; i + 4 <= out.length; i += 4) out.writeUInt32LE(rng.uint32(), i);
  for (let i = out.length & ~3; i < out.length; i++) out[i] = rng.uint32() & 255;
  return out;
}

function addBlob(lum: Float32Array, w: number, h: number, cx: number, cy: number, rx: number, ry: number, amplitude: number): void {
  const x0 = Math.max(0, Math.floor(cx - rx));
  const x1 = Math.min(w - 1, Math.ceil(cx + rx));
  const y0 = Math.max(0, Math.floor(cy - ry));
  const y1 = Math.min(h - 1, Math.ceil(cy + ry));
  for (let y = y0; y <= y1; y++) {
    const dy = (y - cy) / ry;
    for (let x = x0; x <= x1; x++) {
      const dx = (x - cx) / rx;
      const d2 = dx * dx + dy * dy;
      if (d2 < 1) lum[y * w + x] = (lum[y * w + x] ?? 0) + amplitude * (1 - d2) * (1 - d2);
    }
  }
}

function drawOverlay(pixels: Buffer, spec: ImageSpec, region: Region): void {
  const { width: w, height: h } = spec;
  const [r, g, b] = OVERLAY_RGB[spec.overlay as Exclude<Overlay, 'none'>];
  const set = (x: number, y: number, alpha: number): void => {
    const o = (y * w + x) * 3;
    pixels[o] = Math.round((pixels[o] ?? 0) * (1 - alpha) + r * alpha);
    pixels[o + 1] = Math.round((pixels[o + 1] ?? 0) * (1 - alpha) + g * alpha);
    pixels[o + 2] = Math.round((pixels[o + 2] ?? 0) * (1 - alpha) + b * alpha);
  };
  const reach = 1 + region.wobble;
  const x0 = Math.max(0, Math.floor(region.cx - region.rx * reach) - LINE_WIDTH);
  const x1 = Math.min(w - 1, Math.ceil(region.cx + region.rx * reach) + LINE_WIDTH);
  const y0 = Math.max(0, Math.floor(region.cy - region.ry * reach) - LINE_WIDTH);
  const y1 = Math.min(h - 1, Math.ceil(region.cy + region.ry * reach) + LINE_WIDTH);
  if (spec.overlay === 'box') {
    for (let t = 0; t < LINE_WIDTH; t++) {
      for (let x = x0; x <= x1; x++) {
        set(x, y0 + t, 1);
        set(x, y1 - t, 1);
      }
      for (let y = y0; y <= y1; y++) {
        set(x0 + t, y, 1);
        set(x1 - t, y, 1);
      }
    }
    return;
  }
  // Contour and mask share one shape: radius 1 + wobble·sin(3θ + phase) in ellipse units.
  for (let y = y0; y <= y1; y++) {
    for (let x = x0; x <= x1; x++) {
      const dx = (x - region.cx) / region.rx;
      const dy = (y - region.cy) / region.ry;
      const edge = 1 + region.wobble * Math.sin(3 * Math.atan2(dy, dx) + region.phase);
      const d = Math.sqrt(dx * dx + dy * dy) - edge;
      if (spec.overlay === 'mask') {
        if (d <= 0) set(x, y, MASK_ALPHA);
      } else if (Math.abs(d) * Math.min(region.rx, region.ry) <= LINE_WIDTH / 2) {
        set(x, y, 1);
      }
    }
  }
}

/** Clamped to a byte and quantized to steps of 4. */
function level(v: number): number {
  return v <= 0 ? 0 : v >= 255 ? 252 : v & 252;
}
