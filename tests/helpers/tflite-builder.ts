// Node context (tests): write tiny TFLite FlatBuffers by hand, to exercise tools/lib/tflite on ops and types a real model lacks.

/** A FlatBuffer field value; a table's fields sit at their schema slot (undefined = absent, reads as default). */
export type FbValue =
  | { int8: number }
  | { uint8: number }
  | { int32: number }
  | { uint32: number }
  | { float32: number }
  | { string: string }
  | { int32s: number[] }
  | { float32s: number[] }
  | { int64s: number[] }
  | { bytes: Uint8Array }
  | { table: FbTable }
  | { tables: FbTable[] };
export type FbTable = Array<FbValue | undefined>;

class Writer {
  private buf = new Uint8Array(1024);
  private view = new DataView(this.buf.buffer);
  size = 0;

  private reserve(n: number): number {
    while (this.size + n > this.buf.length) {
      const next = new Uint8Array(this.buf.length * 2);
      next.set(this.buf);
      this.buf = next;
      this.view = new DataView(next.buffer);
    }
    const at = this.size;
    this.size += n;
    return at;
  }

  align(n: number, extra = 0): void {
    while ((this.size + extra) % n !== 0) this.reserve(1);
  }

  u8(v: number): number {
    const at = this.reserve(1);
    this.view.setUint8(at, v & 0xff);
    return at;
  }

  u16(v: number): number {
    const at = this.reserve(2);
    this.view.setUint16(at, v, true);
    return at;
  }

  i32(v: number): number {
    const at = this.reserve(4);
    this.view.setInt32(at, v, true);
    return at;
  }

  setU8(at: number, v: number): void {
    this.view.setUint8(at, v);
  }

  setU16(at: number, v: number): void {
    this.view.setUint16(at, v, true);
  }

  setI32(at: number, v: number): void {
    this.view.setInt32(at, v, true);
  }

  f32(v: number): number {
    const at = this.reserve(4);
    this.view.setFloat32(at, v, true);
    return at;
  }

  i64(v: number): number {
    const at = this.reserve(8);
    this.view.setBigInt64(at, BigInt(v), true);
    return at;
  }

  bytes(): Uint8Array {
    return this.buf.slice(0, this.size);
  }
}

function scalarSize(v: FbValue): number {
  if ('int8' in v || 'uint8' in v) return 1;
  return 4; // int32, uint32, float32, and every offset
}

/**
 * Write a table front to back: its vtable, then the table (an int32 back to the vtable and the
 * inline fields), then what its offset fields point at, patched once their positions are known.
 * Offsets in FlatBuffers must point forward, which this order guarantees.
 */
function writeTable(w: Writer, fields: FbTable): number {
  // Inline layout: 4 bytes of soffset, then each present field, each at its own alignment.
  const layout: Array<{ slot: number; value: FbValue; at: number }> = [];
  let offset = 4;
  fields.forEach((value, slot) => {
    if (!value) return;
    const size = scalarSize(value);
    offset = Math.ceil(offset / size) * size;
    layout.push({ slot, value, at: offset });
    offset += size;
  });
  const tableSize = Math.ceil(offset / 4) * 4;

  w.align(2);
  const vtable = w.u16(4 + 2 * fields.length);
  w.u16(tableSize);
  const slots = fields.map(() => w.u16(0));
  w.align(4);
  const table = w.size;
  for (let i = 0; i < tableSize; i++) w.u8(0);
  w.setI32(table, table - vtable);

  const pending: Array<{ at: number; value: FbValue }> = [];
  for (const { slot, value, at } of layout) {
    const abs = table + at;
    w.setU16(slots[slot] ?? 0, at);
    const tmp = new DataView(new ArrayBuffer(4));
    if ('int8' in value) tmp.setInt8(0, value.int8);
    else if ('uint8' in value) tmp.setUint8(0, value.uint8);
    else if ('int32' in value) tmp.setInt32(0, value.int32, true);
    else if ('uint32' in value) tmp.setUint32(0, value.uint32, true);
    else if ('float32' in value) tmp.setFloat32(0, value.float32, true);
    else {
      pending.push({ at: abs, value });
      continue;
    }
    if (scalarSize(value) === 1) w.setU8(abs, tmp.getUint8(0));
    else w.setI32(abs, tmp.getInt32(0, true));
  }
  for (const { at, value } of pending) w.setI32(at, writeReferenced(w, value) - at);
  return table;
}

function writeReferenced(w: Writer, value: FbValue): number {
  if ('string' in value) {
    const utf8 = new TextEncoder().encode(value.string);
    w.align(4);
    const at = w.i32(utf8.length);
    for (const b of utf8) w.u8(b);
    w.u8(0);
    return at;
  }
  if ('int32s' in value || 'float32s' in value) {
    const list = 'int32s' in value ? value.int32s : value.float32s;
    w.align(4);
    const at = w.i32(list.length);
    for (const v of list) {
      if ('int32s' in value) w.i32(v);
      else w.f32(v);
    }
    return at;
  }
  if ('int64s' in value) {
    w.align(8, 4);
    const at = w.i32(value.int64s.length);
    for (const v of value.int64s) w.i64(v);
    return at;
  }
  if ('bytes' in value) {
    w.align(16, 4);
    const at = w.i32(value.bytes.length);
    for (const b of value.bytes) w.u8(b);
    return at;
  }
  if ('table' in value) return writeTable(w, value.table);
  if ('tables' in value) {
    w.align(4);
    const at = w.i32(value.tables.length);
    const slots = value.tables.map(() => w.i32(0));
    value.tables.forEach((t, i) => {
      const slot = slots[i] ?? 0;
      w.setI32(slot, writeTable(w, t) - slot);
    });
    return at;
  }
  throw new Error('scalar values are stored inline, not referenced');
}

/** A whole FlatBuffer: root offset, 4-byte file identifier, root table. */
export function writeFlatBuffer(root: FbTable, identifier: string): ArrayBuffer {
  const w = new Writer();
  w.i32(0);
  for (const ch of identifier.padEnd(4).slice(0, 4)) w.u8(ch.charCodeAt(0));
  const at = writeTable(w, root);
  w.setI32(0, at);
  const out = new ArrayBuffer(w.size);
  new Uint8Array(out).set(w.bytes());
  return out;
}

// ---------------------------------------------------------------------------------------------
// TFLite models from a short description.
// ---------------------------------------------------------------------------------------------

export const TENSOR_TYPE = { float32: 0, float16: 1, int32: 2, uint8: 3, int64: 4, int8: 9 } as const;

export interface TestTensor {
  name: string;
  shape: number[];
  type: keyof typeof TENSOR_TYPE;
  /** Raw little-endian bytes for constants. */
  data?: Uint8Array;
  quantization?: { scale: number[]; zeroPoint: number[]; quantizedDimension?: number };
}

export interface TestOperator {
  /** BuiltinOperator code (e.g. 0 ADD, 6 DEQUANTIZE, 18 MUL, 22 RESHAPE). */
  code: number;
  inputs: number[];
  outputs: number[];
  /** Builtin options table (layout per schema.fbs) and its BuiltinOptions union type. */
  options?: { type: number; table: FbTable };
}

export function buildTfliteModel(spec: { tensors: TestTensor[]; operators: TestOperator[]; inputs: number[]; outputs: number[] }): ArrayBuffer {
  const codes = [...new Set(spec.operators.map((o) => o.code))];
  const buffers: FbTable[] = [[]]; // buffer 0: the empty sentinel
  const tensors = spec.tensors.map((t): FbTable => {
    let buffer = 0;
    if (t.data) {
      buffer = buffers.length;
      buffers.push([{ bytes: t.data }]);
    }
    const q = t.quantization;
    return [
      { int32s: t.shape },
      { int8: TENSOR_TYPE[t.type] },
      { uint32: buffer },
      { string: t.name },
      q ? { table: [undefined, undefined, { float32s: q.scale }, { int64s: q.zeroPoint }, undefined, undefined, { int32: q.quantizedDimension ?? 0 }] } : undefined,
    ];
  });
  const operators = spec.operators.map((o): FbTable => [
    { uint32: codes.indexOf(o.code) },
    { int32s: o.inputs },
    { int32s: o.outputs },
    o.options ? { uint8: o.options.type } : undefined,
    o.options ? { table: o.options.table } : undefined,
  ]);
  // Codes above 127 only fit builtin_code; deprecated_builtin_code then holds 127 (PLACEHOLDER_FOR_GREATER_OP_CODES).
  const opcodes = codes.map((c): FbTable => [{ int8: Math.min(c, 127) }, undefined, { int32: 1 }, { int32: c }]);
  const subgraph: FbTable = [{ tables: tensors }, { int32s: spec.inputs }, { int32s: spec.outputs }, { tables: operators }, { string: 'main' }];
  return writeFlatBuffer([{ uint32: 3 }, { tables: opcodes }, { tables: [subgraph] }, { string: 'test' }, { tables: buffers }], 'TFL3');
}

/** Little-endian bytes of typed values. */
export function float32Bytes(values: number[]): Uint8Array {
  return new Uint8Array(Float32Array.from(values).buffer);
}

export function int32Bytes(values: number[]): Uint8Array {
  return new Uint8Array(Int32Array.from(values).buffer);
}

export function int8Bytes(values: number[]): Uint8Array {
  return new Uint8Array(Int8Array.from(values).buffer);
}

/** float32 -> IEEE half bits (round to nearest; enough for exactly representable test values). */
export function float16Bytes(values: number[]): Uint8Array {
  const out = new DataView(new ArrayBuffer(values.length * 2));
  const f = new DataView(new ArrayBuffer(4));
  values.forEach((v, i) => {
    f.setFloat32(0, v, true);
    const x = f.getUint32(0, true);
    const sign = (x >>> 16) & 0x8000;
    const exp = ((x >>> 23) & 0xff) - 127 + 15;
    const mant = x & 0x7fffff;
    let h: number;
    if (v === 0) h = sign;
    else if (exp <= 0) h = sign | Math.round((mant | 0x800000) / 2 ** (14 - exp)); // subnormal
    else if (exp >= 31) h = sign | 0x7c00;
    else h = sign | ((exp << 10) + Math.round(mant / 8192)); // a rounding carry bumps the exponent
    out.setUint16(i * 2, h, true);
  });
  return new Uint8Array(out.buffer);
}
