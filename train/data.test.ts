// Fashion-MNIST loading: the real files parse; every kind of damage is named.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { loadFashionMnist, parseIdx, subset } from './data.ts';

function idx(magic: number, dims: number[], body: number[]): Buffer {
  const h = Buffer.alloc(4 + 4 * dims.length);
  h.writeUInt32BE(magic, 0);
  dims.forEach((d, i) => h.writeUInt32BE(d, 4 + 4 * i));
  return Buffer.concat([h, Buffer.from(body)]);
}

/** A directory with the four files, `patch` replacing some of them. */
function dataset(patch: Record<string, Buffer> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'mpsa-fmnist-'));
  const files: Record<string, Buffer> = {
    'train-images-idx3-ubyte.gz': gzipSync(idx(0x803, [2, 28, 28], Array(2 * 784).fill(255))),
    'train-labels-idx1-ubyte.gz': gzipSync(idx(0x801, [2], [3, 9])),
    't10k-images-idx3-ubyte.gz': gzipSync(idx(0x803, [1, 28, 28], Array(784).fill(0))),
    't10k-labels-idx1-ubyte.gz': gzipSync(idx(0x801, [1], [0])),
    ...patch,
  };
  for (const [name, buf] of Object.entries(files)) writeFileSync(join(dir, name), buf);
  return dir;
}

describe('Fashion-MNIST', () => {
  it('loads the installed dataset: 60000 + 10000 images, pixels in [0, 1]', () => {
    const d = loadFashionMnist();
    expect([d.train.n, d.test.n, d.train.rows, d.train.cols]).toEqual([60000, 10000, 28, 28]);
    expect(Math.max(...d.train.images.subarray(0, 784))).toBeLessThanOrEqual(1);
    expect(subset(d.train, 100).n).toBe(100);
  });

  it('loads a well-formed directory', () => {
    const d = loadFashionMnist(dataset());
    expect(d.train.labels).toEqual(new Uint8Array([3, 9]));
    expect(d.train.images[0]).toBe(1);
  });

  it('names the Debian package when the files are missing', () => {
    expect(() => loadFashionMnist('/nonexistent')).toThrow(/not found\. Install the Debian package dataset-fashion-mnist/);
  });

  it.each([
    ['corrupt gzip', { 'train-labels-idx1-ubyte.gz': Buffer.from('not gzip') }, /train-labels-idx1-ubyte\.gz: corrupt gzip data/],
    ['wrong magic', { 'train-labels-idx1-ubyte.gz': gzipSync(idx(0x803, [2], [3, 9])) }, /bad IDX magic 0x00000803 \(expected 0x00000801/],
    ['truncated body', { 't10k-images-idx3-ubyte.gz': gzipSync(idx(0x803, [1, 28, 28], Array(700).fill(0))) }, /size 716 bytes does not match its header \(1×28×28 needs 800\)/],
    ['label count', { 't10k-labels-idx1-ubyte.gz': gzipSync(idx(0x801, [2], [0, 1])) }, /2 labels for 1 images/],
    ['label range', { 'train-labels-idx1-ubyte.gz': gzipSync(idx(0x801, [2], [3, 12])) }, /label 12 at index 1 is not a class 0\.\.9/],
  ])('detects %s', (_what, patch, re) => {
    expect(() => loadFashionMnist(dataset(patch))).toThrow(re);
  });

  it('rejects a header shorter than its dimensions', () => {
    expect(() => parseIdx(Buffer.alloc(6), 'x', 3)).toThrow(/x: truncated \(6 bytes, header needs 16\)/);
  });
});
