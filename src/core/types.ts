// Pure types shared by every context: coordinate spaces are in the type names.

/**
 * A site's id, as its adapter declares it (src/sites: one file per site, registered); 'generic' is
 * any other page. A string, checked where it comes in: a stored call of a site no longer served
 * still reads (its id shown as it is).
 */
export type SiteId = string;

/** The shape of a site id (lowercase letters, digits, dashes). */
export const isSiteId = (v: unknown): v is SiteId => typeof v === 'string' && /^[a-z][a-z0-9-]{0,31}$/.test(v);

/**
 * Which pipeline produced a result: the ML host instance's random id and the pipeline's number in
 * it (`<instance>:<n>`). A new host numbers its pipelines from 1 again, so the number alone would
 * name another host's models. Opaque to all but the ML host; compared whole.
 */
export type Generation = string;


/** A box in input-image pixels. */
export interface PixelBox {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** A box in [0, 1] coordinates of the model input (ymin/xmin/ymax/xmax, as SSD emits them). */
export interface NormalizedCorners {
  ymin: number;
  xmin: number;
  ymax: number;
  xmax: number;
}

/** A decoded detector candidate before NMS, in normalized coordinates of the model input. */
export interface Candidate {
  box: NormalizedCorners;
  score: number;
  /** In-plane rotation of the face where the detector has eye keypoints: see FaceResult.roll. */
  roll?: number;
  /** How far the head is turned, where the detector has keypoints: see FaceResult.turn. */
  turn?: number;
}

export interface FaceResult {
  box: PixelBox;
  score: number;
  /**
   * Angle of the line from the face's right eye to its left eye, in radians, in image pixels (y
   * down): 0 for an upright face, positive when the face is turned clockwise on screen. Only
   * detectors with eye keypoints (BlazeFace) set it.
   */
  roll?: number;
  /** How far the head is turned left or right, -1..1 (headTurn in head-turn.ts), from the same keypoints (BlazeFace). */
  turn?: number;
  label: string;
  probabilities: Record<string, number>;
}

export type BackendName = 'webgpu' | 'wasm' | 'cpu';

export interface AnalyzeResult {
  faces: FaceResult[];
  backend: BackendName;
  ms: { detect: number; classify: number; person?: number };
  /** Asked for (AnalyzeOptions.presence) and no face found: the person detector's score and verdict. */
  person?: { score: number; present: boolean };
  /** Width and height of the analyzed input, in pixels. */
  input: { width: number; height: number };
  /** False when the caller supplied tracked face boxes and detection was skipped. */
  detected: boolean;
}

/** What a frame is analyzed with (the ML host's pipeline; a content script's frame request carries the same). */
export interface AnalyzeOptions {
  minFaceSize?: number;
  /**
   * Known face boxes (input pixels, e.g. tracked from the previous frame): detection is skipped and
   * only these are classified. The caller re-detects every few frames.
   */
  faces?: ReadonlyArray<{ box: PixelBox; score: number; roll?: number }>;
  /**
   * The input is a face sheet, not the frame: cell i (`cell` px square at x = i * cell) is already
   * faces[i]'s classifier crop (see FrameGrabber.captureFaces); the faces keep their boxes, and the
   * result's input is `frame`, the frame those boxes refer to.
   */
  sheet?: { cell: number; frame: { width: number; height: number } };
  /** If no face is found, look for a person (someone turned away or half out of frame) with the person detector. */
  presence?: boolean;
}
