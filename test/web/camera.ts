import { writeFileSync } from 'node:fs';
import { PNG } from 'pngjs';

/**
 * A YUV4MPEG2 (4:2:0, full-range BT.601) video for Chromium's fake camera: the PNG centred on white,
 * scaled by an integer factor so the QR modules stay sharp.
 */
export function writeY4mFromPng(png: Buffer, file: string, opts: { width?: number; height?: number; frames?: number } = {}): void {
  const width = opts.width ?? 480;
  const height = opts.height ?? 360;
  const frames = opts.frames ?? 3;
  const img = PNG.sync.read(png);
  const scale = Math.max(1, Math.floor(Math.min((width * 0.8) / img.width, (height * 0.8) / img.height)));
  const ox = Math.floor((width - img.width * scale) / 2);
  const oy = Math.floor((height - img.height * scale) / 2);

  const rgbAt = (x: number, y: number): [number, number, number] => {
    const sx = Math.floor((x - ox) / scale);
    const sy = Math.floor((y - oy) / scale);
    if (sx < 0 || sy < 0 || sx >= img.width || sy >= img.height) return [255, 255, 255];
    const i = (sy * img.width + sx) * 4;
    const a = img.data[i + 3] / 255; // transparent pixels over white
    return [0, 1, 2].map((k) => Math.round(img.data[i + k] * a + 255 * (1 - a))) as [number, number, number];
  };

  const Y = Buffer.alloc(width * height);
  const U = Buffer.alloc((width / 2) * (height / 2));
  const V = Buffer.alloc((width / 2) * (height / 2));
  const clamp = (v: number) => Math.max(0, Math.min(255, Math.round(v)));
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const [r, g, b] = rgbAt(x, y);
      Y[y * width + x] = clamp(0.299 * r + 0.587 * g + 0.114 * b);
    }
  }
  for (let y = 0; y < height / 2; y++) {
    for (let x = 0; x < width / 2; x++) {
      const [r, g, b] = rgbAt(x * 2, y * 2);
      U[y * (width / 2) + x] = clamp(128 - 0.168736 * r - 0.331264 * g + 0.5 * b);
      V[y * (width / 2) + x] = clamp(128 + 0.5 * r - 0.418688 * g - 0.081312 * b);
    }
  }
  const parts: Buffer[] = [Buffer.from(`YUV4MPEG2 W${width} H${height} F10:1 Ip A1:1 C420jpeg\n`, 'ascii')];
  for (let f = 0; f < frames; f++) parts.push(Buffer.from('FRAME\n', 'ascii'), Y, U, V);
  writeFileSync(file, Buffer.concat(parts));
}
