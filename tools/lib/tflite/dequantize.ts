// Node context (tools, tests): TFLite constants as JS numbers (float16 decoded, int8/uint8/int16 affine-dequantized).
import type { TfliteQuantization, TfliteTensor } from './schema';

/** IEEE 754 half (binary16) to a JS number. */
export function float16ToNumber(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >> 10) & 0x1f;
  const frac = h & 0x3ff;
  if (exp === 0) return sign * frac * 2 ** -24; // zero and subnormals
  if (exp === 0x1f) return frac ? NaN : sign * Infinity;
  return sign * (1 + frac / 1024) * 2 ** (exp - 15);
}

function elementCount(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/** Per-element (value - zero_point) * scale, per-tensor or along quantized_dimension. */
function dequantize(raw: ArrayLike<number>, shape: readonly number[], q: TfliteQuantization): Float32Array {
  const out = new Float32Array(raw.length);
  const perChannel = q.scale.length > 1;
  const axis = q.quantizedDimension;
  const stride = perChannel ? elementCount(shape.slice(axis + 1)) : 1;
  const channels = perChannel ? (shape[axis] ?? 1) : 1;
  for (let i = 0; i < raw.length; i++) {
    const c = perChannel ? Math.floor(i / stride) % channels : 0;
    out[i] = ((raw[i] ?? 0) - (q.zeroPoint[c] ?? q.zeroPoint[0] ?? 0)) * (q.scale[c] ?? q.scale[0] ?? 1);
  }
  return out;
}

/** A constant tensor's values: float32 for float and quantized types, int32 for integer types. */
export function constantValues(t: TfliteTensor): { values: Float32Array | Int32Array; dtype: 'float32' | 'int32' } {
  const data = t.data;
  if (!data) throw new Error(`tensor ${t.index} (${t.name}) is not a constant`);
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const n = elementCount(t.shape);
  const need = (bytesPer: number): void => {
    if (data.byteLength < n * bytesPer) throw new Error(`constant ${t.name} has ${data.byteLength} bytes, expected ${n * bytesPer} for ${t.type}[${t.shape.join(',')}]`);
  };
  const read = (bytesPer: number, get: (offset: number) => number): number[] => {
    need(bytesPer);
    const raw: number[] = new Array<number>(n);
    for (let i = 0; i < n; i++) raw[i] = get(i * bytesPer);
    return raw;
  };
  const quantizedOrInt = (raw: number[]): { values: Float32Array | Int32Array; dtype: 'float32' | 'int32' } =>
    t.quantization ? { values: dequantize(raw, t.shape, t.quantization), dtype: 'float32' } : { values: Int32Array.from(raw), dtype: 'int32' };
  switch (t.type) {
    case 'float32':
      return { values: Float32Array.from(read(4, (o) => view.getFloat32(o, true))), dtype: 'float32' };
    case 'float16':
      return { values: Float32Array.from(read(2, (o) => float16ToNumber(view.getUint16(o, true)))), dtype: 'float32' };
    case 'float64':
      return { values: Float32Array.from(read(8, (o) => view.getFloat64(o, true))), dtype: 'float32' };
    case 'int32':
      return quantizedOrInt(read(4, (o) => view.getInt32(o, true)));
    case 'int64':
      return quantizedOrInt(read(8, (o) => Number(view.getBigInt64(o, true))));
    case 'int16':
      return quantizedOrInt(read(2, (o) => view.getInt16(o, true)));
    case 'int8':
      return quantizedOrInt(read(1, (o) => view.getInt8(o)));
    case 'uint8':
      return quantizedOrInt(read(1, (o) => view.getUint8(o)));
    case 'bool':
      return { values: Int32Array.from(read(1, (o) => view.getUint8(o))), dtype: 'int32' };
    default:
      throw new Error(`constant ${t.name} has unsupported type ${t.type}`);
  }
}
