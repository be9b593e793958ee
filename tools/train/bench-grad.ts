// Node CLI (`npm run bench:grad`): why the fine-tuning step runs in torch. tfjs on wasm has no
// Conv2DBackpropFilter; the cheapest way to build it from ops wasm has is one strided slice of the
// padded input and one matMul per kernel tap. This times that gradient on wasm (and checks it
// against the cpu backend's own kernel on a small case) next to torch on the same shapes, and a whole
// training step of the fine-tuned trunk in torch. Prints one table.
import { spawnSync } from 'node:child_process';
import { median } from '../lib/metrics';
import { exitWithError, isMain } from '../lib/cli';
import { initNodeTf, tf } from '../lib/tf-node';
import { torchPython } from './finetune';

/** dL/dW of a 3x3 'same' conv2d: x [n, h, w, cin], dy [n, ho, wo, cout] -> [3, 3, cin, cout]. */
export function conv2dFilterGrad(x: tf.Tensor4D, dy: tf.Tensor4D, stride: number): tf.Tensor4D {
  return tf.tidy(() => {
    const [n, ho, wo, cout] = dy.shape;
    const cin = x.shape[3];
    const padTotal = (size: number, out: number) => Math.max((out - 1) * stride + 3 - size, 0);
    const ph = padTotal(x.shape[1], ho);
    const pw = padTotal(x.shape[2], wo);
    const xp = tf.pad(x, [
      [0, 0],
      [Math.floor(ph / 2), ph - Math.floor(ph / 2)],
      [Math.floor(pw / 2), pw - Math.floor(pw / 2)],
      [0, 0],
    ]);
    const g = tf.reshape(dy, [n * ho * wo, cout]);
    const taps: tf.Tensor2D[] = [];
    for (let i = 0; i < 3; i++) {
      for (let j = 0; j < 3; j++) {
        const patch = tf.stridedSlice(xp, [0, i, j, 0], [n, i + (ho - 1) * stride + 1, j + (wo - 1) * stride + 1, cin], [1, stride, stride, 1]);
        taps.push(tf.matMul(tf.reshape(patch, [n * ho * wo, cin]), g, true, false));
      }
    }
    return tf.reshape(tf.stack(taps), [3, 3, cin, cout]) as tf.Tensor4D;
  });
}

async function timeIt(fn: () => tf.Tensor, runs: number): Promise<number> {
  const times: number[] = [];
  for (let r = 0; r < runs + 1; r++) {
    const t0 = performance.now();
    const y = fn();
    await y.data();
    y.dispose();
    if (r > 0) times.push(performance.now() - t0);
  }
  return median(times);
}

const TORCH = `
import sys, time, torch, torch.nn.functional as F
sys.path.insert(0, 'tools/train/torch')
from finetune import Net, normalize
torch.set_num_threads(int(sys.argv[1]))
def med(f, runs=5):
    f(); ts = []
    for _ in range(runs):
        t = time.time(); f(); ts.append(time.time() - t)
    return sorted(ts)[len(ts) // 2] * 1000
x = torch.randn(32, 32, 64, 64); w = torch.randn(64, 32, 3, 3, requires_grad=True)
def grad():
    y = F.conv2d(x, w, padding=1); y.backward(torch.ones_like(y))
net = Net([], 0.3).to(memory_format=torch.channels_last); opt = torch.optim.Adam(net.parameters(), 1e-3)
xb = torch.rand(64, 3, 96, 96) * 255; yb = torch.randint(0, 5, (64,))
def step():
    loss = F.cross_entropy(net(normalize(xb)), yb); opt.zero_grad(); loss.backward(); opt.step()
print(med(grad), med(step))
`;

async function main(): Promise<void> {
  await initNodeTf();
  // Correctness on a small case against the cpu backend's Conv2DBackpropFilter.
  const small = { x: tf.randomNormal([2, 9, 9, 3], 0, 1, 'float32', 1) as tf.Tensor4D, dy: tf.randomNormal([2, 5, 5, 4], 0, 1, 'float32', 2) as tf.Tensor4D };
  const ours = conv2dFilterGrad(small.x, small.dy, 2);
  await tf.setBackend('cpu');
  const conv = (x: tf.Tensor4D, f: tf.Tensor4D) => tf.conv2d(x, f, 2, 'same');
  const grads = tf.grads((x, f) => conv(x as tf.Tensor4D, f as tf.Tensor4D));
  const reference = grads([tf.tensor4d(small.x.dataSync(), small.x.shape), tf.zeros([3, 3, 3, 4])], tf.tensor4d(small.dy.dataSync(), small.dy.shape))[1]!;
  const ourValues = ours.dataSync();
  const maxErr = Math.max(...Array.from(reference.dataSync(), (v, i) => Math.abs(v - (ourValues[i] ?? 0))));
  await tf.setBackend('wasm');
  const x = tf.randomNormal([32, 64, 64, 32]) as tf.Tensor4D;
  const dy = tf.randomNormal([32, 64, 64, 64]) as tf.Tensor4D;
  const wasmMs = await timeIt(() => conv2dFilterGrad(x, dy, 1), 3);
  tf.dispose([x, dy, ours, small.x, small.dy]);
  const py = spawnSync(torchPython(), ['-c', TORCH, '2'], { encoding: 'utf8' });
  if (py.status !== 0) throw new Error(`torch timing failed: ${py.stderr}`);
  const [torchGrad, torchStep] = py.stdout.trim().split(/\s+/).map(Number);
  console.log('| what | tfjs wasm (slices + matMul) | torch CPU |');
  console.log('|---|---:|---:|');
  console.log(`| conv2d filter gradient, x [32,64,64,32] -> 64 channels, 3x3, ms | ${wasmMs.toFixed(0)} | ${torchGrad?.toFixed(0)} (forward + backward) |`);
  console.log(`| one training step of the 96 px trunk + head, 64 faces, ms | (needs ~31 such gradients plus depthwise ones: not built) | ${torchStep?.toFixed(0)} |`);
  console.log(`\nslice + matMul gradient vs the cpu backend's kernel (stride 2, small case): max abs error ${maxErr.toExponential(1)}`);
}

if (isMain(import.meta.url)) main().catch(exitWithError);
