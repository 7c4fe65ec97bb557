// Fashion-MNIST from Debian's `dataset-fashion-mnist` (IDX files, gzip). Every way the files can
// be missing or damaged gives an error naming the file and the problem.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';

export const DEFAULT_DATA_DIR = '/usr/share/datasets/fashion-mnist';
export const CLASSES = ['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot'];

export class DatasetError extends Error {
  override name = 'DatasetError';
}

export interface Split {
  /** n × 784 pixels scaled to [0, 1]. */
  images: Float32Array;
  labels: Uint8Array;
  n: number;
  rows: number;
  cols: number;
}

export interface Dataset { train: Split; test: Split }

/** A fixed input standardisation x ↦ (x − mean) / std applied to every pixel of a batch. */
export interface InputNorm { mean: number; std: number }

/** Mean and standard deviation of the Fashion-MNIST training pixels (scaled to [0, 1]). */
export const FASHION_MNIST_NORM: InputNorm = { mean: 0.2860, std: 0.3530 };

/** The data directory: MPSA_FASHION_MNIST, or the Debian package's location. */
export function dataDir(): string {
  return process.env.MPSA_FASHION_MNIST || DEFAULT_DATA_DIR;
}

function readIdx(path: string): Buffer {
  if (!existsSync(path)) {
    throw new DatasetError(`${path}: not found. Install the Debian package dataset-fashion-mnist ` +
      `(sudo apt-get install dataset-fashion-mnist, or make setup as root), or point MPSA_FASHION_MNIST at a directory with the four IDX files`);
  }
  const raw = readFileSync(path);
  if (!path.endsWith('.gz')) return raw;
  try {
    return gunzipSync(raw);
  } catch (e) {
    throw new DatasetError(`${path}: corrupt gzip data (${(e as Error).message})`);
  }
}

/** Parses an IDX file of unsigned bytes with the expected magic (0x801 labels, 0x803 images). */
export function parseIdx(buf: Buffer, name: string, dims: 1 | 3): { shape: number[]; data: Uint8Array } {
  const header = 4 + 4 * dims;
  if (buf.length < header) throw new DatasetError(`${name}: truncated (${buf.length} bytes, header needs ${header})`);
  const magic = buf.readUInt32BE(0);
  const want = 0x800 + dims;
  if (magic !== want) {
    throw new DatasetError(`${name}: bad IDX magic 0x${magic.toString(16).padStart(8, '0')} (expected 0x${want.toString(16).padStart(8, '0')}: unsigned bytes, ${dims} dimension${dims > 1 ? 's' : ''})`);
  }
  const shape = Array.from({ length: dims }, (_, i) => buf.readUInt32BE(4 + 4 * i));
  const count = shape.reduce((a, b) => a * b, 1);
  if (buf.length !== header + count) {
    throw new DatasetError(`${name}: size ${buf.length} bytes does not match its header (${shape.join('×')} needs ${header + count})`);
  }
  return { shape, data: new Uint8Array(buf.buffer, buf.byteOffset + header, count) };
}

function loadSplit(dir: string, prefix: 'train' | 't10k'): Split {
  const imgName = join(dir, `${prefix}-images-idx3-ubyte.gz`);
  const lblName = join(dir, `${prefix}-labels-idx1-ubyte.gz`);
  const img = parseIdx(readIdx(imgName), imgName, 3);
  const lbl = parseIdx(readIdx(lblName), lblName, 1);
  const [n, rows, cols] = img.shape;
  if (rows !== 28 || cols !== 28) throw new DatasetError(`${imgName}: images are ${rows}×${cols}, expected 28×28`);
  if (lbl.shape[0] !== n) throw new DatasetError(`${lblName}: ${lbl.shape[0]} labels for ${n} images in ${imgName}`);
  for (let i = 0; i < n; i++) {
    if (lbl.data[i] > 9) throw new DatasetError(`${lblName}: label ${lbl.data[i]} at index ${i} is not a class 0..9`);
  }
  const images = new Float32Array(n * rows * cols);
  for (let i = 0; i < images.length; i++) images[i] = img.data[i] / 255;
  return { images, labels: new Uint8Array(lbl.data), n, rows, cols };
}

/** Loads both splits (60000 train, 10000 test images). */
export function loadFashionMnist(dir = dataDir()): Dataset {
  return { train: loadSplit(dir, 'train'), test: loadSplit(dir, 't10k') };
}

/** The first n samples of a split (n ≥ 1). */
export function subset(s: Split, n: number): Split {
  if (!Number.isInteger(n) || n < 1) throw new DatasetError(`subset: must be a positive integer, got ${n}`);
  const m = Math.min(n, s.n);
  const px = s.rows * s.cols;
  return { images: s.images.subarray(0, m * px), labels: s.labels.subarray(0, m), n: m, rows: s.rows, cols: s.cols };
}
