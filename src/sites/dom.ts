// Content script: DOM queries that also look inside open shadow roots (Zoom's web client draws its
// gallery into a canvas inside the shadow root of <video-player-container>; querySelectorAll on the
// document cannot see it). Closed shadow roots stay closed to us as to any page script.

/** Every open shadow root under `root`, nested ones included, in document order. */
/** A shadow root (of any window: no `instanceof` this script's ShadowRoot). */
export function isShadowRoot(node: Node): node is ShadowRoot {
  return node.nodeType === Node.DOCUMENT_FRAGMENT_NODE && 'host' in node;
}

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
  const own = root.nodeType === Node.ELEMENT_NODE ? (root as Element).shadowRoot : null;
  if (own) {
    out.push(own);
    visit(own);
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
    cur = isShadowRoot(root) ? root.host : null;
  }
  return null;
}
