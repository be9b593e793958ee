// Content script: DOM queries that also look inside open shadow roots (Zoom's web client draws its
// gallery into a canvas inside the shadow root of <video-player-container>; querySelectorAll on the
// document cannot see it). Closed shadow roots stay closed to us as to any page script.

/** Every open shadow root under `root`, nested ones included, in document order. */
export function openShadowRoots(root: Document | ShadowRoot | Element): ShadowRoot[] {
  const out: ShadowRoot[] = [];
  const visit = (r: Document | ShadowRoot | Element) => {
    for (const el of r.querySelectorAll('*')) {
      if (el.shadowRoot) {
        out.push(el.shadowRoot);
        visit(el.shadowRoot);
      }
    }
  };
  if (root instanceof Element && root.shadowRoot) {
    out.push(root.shadowRoot);
    visit(root.shadowRoot);
  }
  visit(root);
  return out;
}

/** querySelectorAll over `root` and every open shadow root under it. */
export function deepQueryAll<T extends Element = Element>(root: Document | ShadowRoot | Element, selector: string): T[] {
  return [root, ...openShadowRoots(root)].flatMap((r) => [...r.querySelectorAll<T>(selector)]);
}

/** Element.closest that climbs out of shadow roots to their hosts. */
export function closestDeep(el: Element, selector: string): Element | null {
  for (let cur: Element | null = el; cur; ) {
    const hit = cur.closest(selector);
    if (hit) return hit;
    const root = cur.getRootNode();
    cur = root instanceof ShadowRoot ? root.host : null;
  }
  return null;
}
