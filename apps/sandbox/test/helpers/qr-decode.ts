/**
 * Reads a QR code back with an independent decoder (jsQR, a dev dependency): the SVG the sandbox draws
 * (qr-svg.ts: one path of `M x y h n v1 h-n z` runs on a white ground) rasterised to RGBA pixels, or the
 * pixels a browser painted.
 */
import jsQRModule from 'jsqr';

const jsQR = jsQRModule.default;

/** Pixels per module when an SVG is rasterised for the decoder. */
const SCALE = 4;

/** The SVG's modules as RGBA pixels (white ground, the path's runs black), and its width in pixels. */
export function rasteriseQrSvg(svg: string): { rgba: Uint8ClampedArray; width: number } {
  const viewBox = /viewBox="0 0 (\d+) (\d+)"/.exec(svg);
  const d = /<path fill="#000" d="([^"]*)"/.exec(svg);
  if (viewBox === null || d === null) throw new Error('not the SVG this sandbox draws');
  const width = Number(viewBox[1]) * SCALE;
  const rgba = new Uint8ClampedArray(width * width * 4).fill(255);
  for (const run of (d[1] as string).matchAll(/M(\d+) (\d+)h(\d+)v1h-(\d+)z/g)) {
    const [x, y, n] = [Number(run[1]), Number(run[2]), Number(run[3])];
    if (run[4] !== run[3]) throw new Error('a run that is not a rectangle');
    for (let py = y * SCALE; py < (y + 1) * SCALE; py++)
      for (let px = x * SCALE; px < (x + n) * SCALE; px++) {
        const i = (py * width + px) * 4;
        rgba[i] = 0;
        rgba[i + 1] = 0;
        rgba[i + 2] = 0;
      }
  }
  return { rgba, width };
}

/** What jsQR reads in square RGBA pixels, or null. */
export function decodeQrPixels(
  rgba: Uint8ClampedArray,
  width: number,
): { data: string; version: number } | null {
  const found = jsQR(rgba, width, rgba.length / 4 / width, { inversionAttempts: 'attemptBoth' });
  return found === null ? null : { data: found.data, version: found.version };
}

/** What jsQR reads in the SVG, or null. */
export function decodeQrSvg(svg: string): { data: string; version: number } | null {
  const { rgba, width } = rasteriseQrSvg(svg);
  return decodeQrPixels(rgba, width);
}
