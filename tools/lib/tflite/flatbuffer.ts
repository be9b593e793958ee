// Node context (tools, tests): FlatBuffer reading for the TFLite reader (tensorflow/lite/schema/schema.fbs), with DataView only.
// A table starts with an int32 soffset back to its vtable; the vtable holds [vtable bytes, table
// bytes, field offsets...] as uint16; offsets to tables, vectors and strings are uint32 relative
// to where they are stored. A union takes two field slots: its type (ubyte), then its value.

export class FlatTable {
  private readonly vtable: number;
  private readonly vtableSize: number;

  constructor(
    private readonly view: DataView,
    readonly pos: number,
  ) {
    this.vtable = pos - view.getInt32(pos, true);
    this.vtableSize = view.getUint16(this.vtable, true);
  }

  /** Absolute position of field `index`, or 0 when it is absent (default value). */
  private field(index: number): number {
    const slot = 4 + 2 * index;
    if (slot >= this.vtableSize) return 0;
    const rel = this.view.getUint16(this.vtable + slot, true);
    return rel === 0 ? 0 : this.pos + rel;
  }

  has(index: number): boolean {
    return this.field(index) !== 0;
  }

  int8(index: number, fallback = 0): number {
    const p = this.field(index);
    return p ? this.view.getInt8(p) : fallback;
  }

  uint8(index: number, fallback = 0): number {
    const p = this.field(index);
    return p ? this.view.getUint8(p) : fallback;
  }

  bool(index: number, fallback = false): boolean {
    const p = this.field(index);
    return p ? this.view.getUint8(p) !== 0 : fallback;
  }

  int32(index: number, fallback = 0): number {
    const p = this.field(index);
    return p ? this.view.getInt32(p, true) : fallback;
  }

  uint32(index: number, fallback = 0): number {
    const p = this.field(index);
    return p ? this.view.getUint32(p, true) : fallback;
  }

  float32(index: number, fallback = 0): number {
    const p = this.field(index);
    return p ? this.view.getFloat32(p, true) : fallback;
  }

  /** uint64 as a JS number (exact below 2^53, plenty for file offsets). */
  uint64(index: number, fallback = 0): number {
    const p = this.field(index);
    return p ? Number(this.view.getBigUint64(p, true)) : fallback;
  }

  private deref(index: number): number {
    const p = this.field(index);
    return p ? p + this.view.getUint32(p, true) : 0;
  }

  table(index: number): FlatTable | undefined {
    const p = this.deref(index);
    return p ? new FlatTable(this.view, p) : undefined;
  }

  string(index: number): string | undefined {
    const p = this.deref(index);
    if (!p) return undefined;
    const len = this.view.getUint32(p, true);
    return new TextDecoder().decode(new Uint8Array(this.view.buffer, this.view.byteOffset + p + 4, len));
  }

  /** [start of the first element, length] of a vector field, or undefined when absent. */
  private vector(index: number): { start: number; length: number } | undefined {
    const p = this.deref(index);
    return p ? { start: p + 4, length: this.view.getUint32(p, true) } : undefined;
  }

  int32Vector(index: number): number[] {
    const v = this.vector(index);
    const out: number[] = [];
    if (v) for (let i = 0; i < v.length; i++) out.push(this.view.getInt32(v.start + 4 * i, true));
    return out;
  }

  float32Vector(index: number): number[] {
    const v = this.vector(index);
    const out: number[] = [];
    if (v) for (let i = 0; i < v.length; i++) out.push(this.view.getFloat32(v.start + 4 * i, true));
    return out;
  }

  int64Vector(index: number): number[] {
    const v = this.vector(index);
    const out: number[] = [];
    if (v) for (let i = 0; i < v.length; i++) out.push(Number(this.view.getBigInt64(v.start + 8 * i, true)));
    return out;
  }

  /** A [ubyte] vector as a view into the file (no copy). */
  bytes(index: number): Uint8Array | undefined {
    const v = this.vector(index);
    return v ? new Uint8Array(this.view.buffer, this.view.byteOffset + v.start, v.length) : undefined;
  }

  tableVector(index: number): FlatTable[] {
    const v = this.vector(index);
    const out: FlatTable[] = [];
    if (v) {
      for (let i = 0; i < v.length; i++) {
        const p = v.start + 4 * i;
        out.push(new FlatTable(this.view, p + this.view.getUint32(p, true)));
      }
    }
    return out;
  }
}
