// Pure: a JPEG's pixel size read from its frame header (SOF), without decoding it, and the ML host's
// check of a JPEG frame against it: a decoder allocates what the header says, so a frame is refused
// on its header alone when that is larger than the frame limit or not the size the request declared.

/** SOF0–SOF15 start a frame header, except DHT (C4), JPG (C8) and DAC (CC), which share the range. */
const isFrameHeader = (marker: number): boolean => marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
/** TEM and RST0–7 stand alone (no length field). */
const isStandalone = (marker: number): boolean => marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7);

/**
 * The size in the JPEG's first frame header, or null when `bytes` is not a JPEG, the header is not
 * in them (they may be only its start), or a segment is malformed. Walks segment lengths only: a few
 * steps for any real file.
 */
export function jpegSize(bytes: Uint8Array): { width: number; height: number } | null {
  if (bytes[0] !== 0xff || bytes[1] !== 0xd8) return null;
  let i = 2;
  while (i + 3 < bytes.length) {
    if (bytes[i] !== 0xff) return null;
    const marker = bytes[i + 1]!;
    if (marker === 0xff) {
      i += 1; // a fill byte before the marker
      continue;
    }
    if (isStandalone(marker)) {
      i += 2;
      continue;
    }
    // Image data, the end or a second start before any frame header: no size to read.
    if (marker === 0xda || marker === 0xd9 || marker === 0xd8) return null;
    const length = (bytes[i + 2]! << 8) | bytes[i + 3]!;
    if (length < 2) return null;
    if (isFrameHeader(marker)) {
      // Length, precision, lines (height), samples per line (width): big-endian.
      if (length < 8 || i + 9 > bytes.length) return null;
      return { height: (bytes[i + 5]! << 8) | bytes[i + 6]!, width: (bytes[i + 7]! << 8) | bytes[i + 8]! };
    }
    i += 2 + length;
  }
  return null;
}

/** Why a JPEG frame must not be decoded, or null: its header's size is within `maxSide` and is the one `declared`. */
export function jpegFrameRefusal(bytes: Uint8Array, declared: { width: number; height: number }, maxSide: number): string | null {
  const size = jpegSize(bytes);
  if (!size) return 'JPEG frame: not a JPEG, or no frame header (SOF) where one should be';
  const { width, height } = size;
  if (width > maxSide || height > maxSide) return `JPEG frame: ${width}×${height} px, larger than the ${maxSide} px frame limit`;
  if (width !== declared.width || height !== declared.height) return `JPEG frame: its header says ${width}×${height} px, the request ${declared.width}×${declared.height}`;
  return null;
}
