import type * as tfjs from '@tensorflow/tfjs';

/**
 * tfjs-backend-wasm's `Concat` copies one `subarray` per input for every index before the axis. On the
 * last axis of an image that is one call per pixel and input: face-api builds its mean-RGB tensor that
 * way (three 320 × 320 × 1 fills joined on the channel axis, then again for each face's landmarks),
 * ~300 000 tiny copies and ~25 ms of CPU a photo. This kernel copies such narrow rows value by value
 * (same values, same order) and hands every other concat to the wasm backend's own kernel.
 */
type Tf = typeof tfjs;
type KernelArgs = Parameters<tfjs.KernelFunc>[0];
type TensorInfo = tfjs.TensorInfo;

interface WasmBackend {
  makeOutput(shape: number[], dtype: TensorInfo['dtype']): TensorInfo;
  typedArrayFromHeap(tensor: TensorInfo): Float32Array | Int32Array | Uint8Array;
}

/** Rows at most this long (values after the axis) are copied value by value. */
export const narrowRowValues = 16;

const patched = new WeakSet<Tf>();

/** Registers the narrow-row concat over the wasm backend's (once per tfjs instance). */
export function useNarrowConcatOnWasm(tf: Tf): void {
  if (patched.has(tf)) return;
  const original = tf.getKernel('Concat', 'wasm');
  if (!original) return; // no wasm backend registered: nothing to speed up
  const originalFunc = original.kernelFunc;
  tf.unregisterKernel('Concat', 'wasm');
  tf.registerKernel({
    ...original,
    kernelFunc: (args: KernelArgs) => narrowConcat(tf, args) ?? originalFunc(args),
  });
  patched.add(tf);
}

/** The concat of narrow rows, or null to leave it to the original kernel. */
function narrowConcat(tf: Tf, args: KernelArgs): TensorInfo | null {
  const inputs = Object.values(args.inputs).filter((t): t is TensorInfo => t !== undefined);
  const first = inputs[0];
  if (!first || first.dtype === 'string' || first.dtype === 'complex64') return null;
  const axis = tf.util.parseAxisParam((args.attrs as { axis: number | number[] }).axis, first.shape)[0]!;
  const shapes = inputs.map((t) => t.shape);
  tf.backend_util.assertParamsConsistent(shapes, axis);
  const present = inputs.filter((t) => tf.util.sizeFromShape(t.shape) > 0);
  if (present.length < 2) return null;
  const rowValues = present.map((t) => tf.util.sizeFromShape(t.shape.slice(axis)));
  if (rowValues.some((n) => n > narrowRowValues)) return null;
  const backend = args.backend as unknown as WasmBackend;
  const out = backend.makeOutput(tf.backend_util.computeOutShape(shapes, axis), first.dtype);
  const outValues = backend.typedArrayFromHeap(out);
  const inValues = present.map((t) => backend.typedArrayFromHeap(t));
  const rows = tf.util.sizeFromShape(present[0]!.shape.slice(0, axis));
  let at = 0;
  for (let row = 0; row < rows; row++) {
    for (let i = 0; i < inValues.length; i++) {
      const values = inValues[i]!;
      const n = rowValues[i]!;
      for (let k = row * n, end = k + n; k < end; k++) outValues[at++] = values[k]!;
    }
  }
  return out;
}
