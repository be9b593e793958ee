// Content script: the user's choices of who is analyzed in the call this page is in: the people
// left out ("Don't analyze") and the tile picked as their own ("This is me"). They belong to one
// call: a new call id starts with none. What a tile gets is decided by the pure rules (logic/who.ts).
import type { Settings } from '../core/settings';
import { participantKeyOf } from '../calls/summary';
import { callIdOf, type SiteAdapter, UnnamedCalls } from '../sites';
import { type TileTreatment, treatmentOf } from './logic/who';

/** A tile as these rules see it: its id, its name, whether the site marks it as the self view. */
export interface WhoTile {
  id: string;
  page: { name: string | null; self: boolean };
}

export const tileKeyOf = (tile: WhoTile): string => participantKeyOf(tile.page.name, tile.id);

export class WhoChoices {
  private who: { callId: string | null; leftOut: Set<string>; pickedSelf: string | null } = { callId: null, leftOut: new Set(), pickedSelf: null };

  /** Call ids for a page whose URL names no meeting (Teams v2): one per join, kept across the overlay's runs. */
  private readonly unnamedCalls = new UnnamedCalls();

  constructor(
    private readonly adapter: SiteAdapter,
    private readonly win: Window,
    private readonly doc: Document,
  ) {}

  /** The call a tile (or the page) is in at `time` (epoch ms; now by default): its choices belong to it. */
  callIdAt(media?: Element, time = this.win.performance.timeOrigin + this.win.performance.now()): string | null {
    const url = this.win.location.href;
    return callIdOf(this.adapter, media?.ownerDocument ?? this.doc, url, () => this.unnamedCalls.idAt(url, time));
  }

  /** The choices for `callId` (a new call starts with none). */
  forCall(callId: string | null): { leftOut: Set<string>; pickedSelf: string | null } {
    if (this.who.callId !== callId) this.who = { callId, leftOut: new Set(), pickedSelf: null };
    return this.who;
  }

  leaveOut(callId: string | null, key: string): void {
    this.forCall(callId).leftOut.add(key);
  }

  pick(callId: string | null, key: string): void {
    this.forCall(callId).pickedSelf = key;
  }

  /** Who is analyzed here: Settings' choice on a call site; a recorded video (YouTube) is not a call, "just me" does not apply. */
  mode(settings: Settings): 'everyone' | 'me' {
    return this.adapter.recorded ? 'everyone' : settings.analyze;
  }

  /** What happens to `tile` now, among `tiles` (the page's): analyzed, left out, someone else ('me' mode), or waiting for the user to pick their own. */
  treatment(tile: WhoTile, tiles: Iterable<WhoTile>, settings: Settings): TileTreatment {
    const { leftOut, pickedSelf } = this.who;
    const siteMarksSelf = [...tiles].some((t) => t.page.self);
    const rules = { mode: this.mode(settings), site: this.adapter.id, excludedNames: settings.excludedNames, leftOut, pickedSelf, siteMarksSelf };
    return treatmentOf({ key: tileKeyOf(tile), name: tile.page.name, self: tile.page.self }, rules);
  }
}
