/**
 * The page side of the screen audit (test/helpers/screen-audit.ts): functions passed to
 * `page.evaluate`, so they use nothing from this module's scope. The project compiles tests without
 * the DOM library: the little of the DOM they touch is declared here, for this module only.
 */

interface Box { readonly left: number; readonly right: number; readonly width: number; readonly height: number }
interface Style { readonly display: string; readonly visibility: string; readonly overflowX: string }
interface PageElement {
  readonly tagName: string;
  readonly id: string;
  readonly classList: Iterable<string>;
  readonly attributes: Iterable<{ readonly name: string; readonly value: string }>;
  readonly parentElement: PageElement | null;
  readonly scrollWidth: number;
  readonly clientWidth: number;
  readonly textContent: string | null;
  /** Inputs only. */
  readonly type?: string;
  readonly labels?: Iterable<PageElement> | null;
  getBoundingClientRect(): Box;
  getClientRects(): { readonly length: number };
  getAttribute(name: string): string | null;
  checkVisibility(options: { visibilityProperty: boolean }): boolean;
}
declare const document: {
  readonly documentElement: PageElement;
  readonly body: PageElement & { querySelectorAll(selector: string): Iterable<PageElement> };
};
declare function getComputedStyle(element: PageElement): Style;

/** What the page reports: a rule, a short CSS path to the element, and the measure. */
export interface Measured {
  readonly rule: string;
  readonly element: string;
  readonly detail: string;
}

/**
 * Elements whose visible part (after the clipping of their ancestors) passes the viewport's left or
 * right edge, the document scrolling sideways, and boxes scrolling sideways inside (text fields aside:
 * they scroll their own text). Only the outermost of nested offenders past the edge is named.
 */
export function measureOverflow(): Measured[] {
  const pathOf = (element: PageElement): string => {
    const parts: string[] = [];
    for (let node: PageElement | null = element; node && node !== document.body && parts.length < 4; node = node.parentElement) {
      const data = [...node.attributes].filter((a) => a.name.startsWith('data-') && a.value.length < 30).slice(0, 2).map((a) => `[${a.name}="${a.value}"]`).join('');
      const classes = [...node.classList].slice(0, 2).map((c) => `.${c}`).join('');
      parts.unshift(`${node.tagName.toLowerCase()}${node.id ? `#${node.id}` : ''}${classes}${data}`);
    }
    return parts.join(' > ');
  };
  const root = document.documentElement;
  const width = root.clientWidth;
  // Sub-pixel layout: a box ending at 1280.4 px has not left the screen.
  const slack = 1;
  const found: { element: PageElement; rule: string; detail: string }[] = [];
  if (root.scrollWidth > width + slack) {
    found.push({ element: root, rule: 'page-scrolls-sideways', detail: `the document is ${root.scrollWidth} px wide in a ${width} px viewport` });
  }
  for (const element of document.body.querySelectorAll('*')) {
    // Not rendered: display none, visibility hidden, or inside a closed <details>.
    if (!element.checkVisibility({ visibilityProperty: true })) continue;
    const style = getComputedStyle(element);
    const box = element.getBoundingClientRect();
    if (box.width <= 1 || box.height <= 1) continue; // nothing to see, or a visually hidden label
    let left = box.left;
    let right = box.right;
    for (let ancestor = element.parentElement; ancestor && ancestor !== root; ancestor = ancestor.parentElement) {
      if (getComputedStyle(ancestor).overflowX === 'visible') continue;
      const clip = ancestor.getBoundingClientRect();
      left = Math.max(left, clip.left);
      right = Math.min(right, clip.right);
    }
    if (right - left > slack && (right > width + slack || left < -slack)) {
      found.push({ element, rule: 'past-edge', detail: `visible from x=${Math.round(left)} to x=${Math.round(right)} in a ${width} px viewport` });
    }
    const textField = element.tagName === 'INPUT' || element.tagName === 'TEXTAREA';
    if (!textField && (style.overflowX === 'auto' || style.overflowX === 'scroll') && element.scrollWidth > element.clientWidth + slack) {
      found.push({ element, rule: 'inner-sideways-scroll', detail: `its content is ${element.scrollWidth} px wide in ${element.clientWidth} px` });
    }
  }
  const offenders = new Set(found.filter((f) => f.rule === 'past-edge').map((f) => f.element));
  const insideAnOffender = (element: PageElement): boolean => {
    for (let ancestor = element.parentElement; ancestor; ancestor = ancestor.parentElement) if (offenders.has(ancestor)) return true;
    return false;
  };
  return found
    .filter((f) => f.rule !== 'past-edge' || !insideAnOffender(f.element))
    .map((f) => ({ rule: f.rule, element: f.element === root ? 'html' : pathOf(f.element), detail: f.detail }));
}

/**
 * Every shown button, link, input, select, text area and role-made control whose box is under `min`
 * CSS pixels either way. A checkbox or radio is tapped through its label too, so its target is the
 * larger of its box and its label's. An input of 1 × 1 px or less is visually hidden behind a control
 * of its own (a file input behind its button) and is not a target.
 */
export function measureTargets(min: number): Measured[] {
  const pathOf = (element: PageElement): string => {
    const parts: string[] = [];
    for (let node: PageElement | null = element; node && node !== document.body && parts.length < 4; node = node.parentElement) {
      const named = [...node.attributes].filter((a) => (a.name.startsWith('data-') || a.name === 'name' || a.name === 'lang') && a.value.length < 30);
      const data = named.slice(0, 2).map((a) => `[${a.name}="${a.value}"]`).join('');
      const classes = [...node.classList].slice(0, 2).map((c) => `.${c}`).join('');
      parts.unshift(`${node.tagName.toLowerCase()}${node.id ? `#${node.id}` : ''}${classes}${data}`);
    }
    return parts.join(' > ');
  };
  const selector = 'button, a[href], input:not([type="hidden"]), select, textarea, summary, [role="button"], [role="link"], [role="checkbox"], [role="radio"], [role="tab"], [role="switch"]';
  const found: Measured[] = [];
  for (const element of document.body.querySelectorAll(selector)) {
    if (!element.checkVisibility({ visibilityProperty: true }) || element.getClientRects().length === 0) continue;
    const own = element.getBoundingClientRect();
    if (own.width <= 1 && own.height <= 1) continue;
    let { width, height } = own;
    if (element.tagName === 'INPUT' && (element.type === 'checkbox' || element.type === 'radio')) {
      for (const label of element.labels ?? []) {
        const box = label.getBoundingClientRect();
        if (box.width * box.height > width * height) ({ width, height } = box);
      }
    }
    if (width < min - 0.01 || height < min - 0.01) {
      const name = (element.getAttribute('aria-label') ?? element.textContent ?? '').trim().replace(/\s+/g, ' ').slice(0, 40);
      found.push({ rule: 'small-target', element: pathOf(element), detail: `${Math.round(width * 10) / 10} × ${Math.round(height * 10) / 10} px "${name}"` });
    }
  }
  return found;
}
