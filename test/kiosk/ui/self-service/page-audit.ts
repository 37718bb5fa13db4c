/**
 * An accessibility audit run inside the page, for the rules of axe-core that these screens could break
 * (axe-core itself is not installed): text contrast (WCAG AA: 4.5:1, 3:1 for large text; disabled
 * controls exempt, as in WCAG), buttons and images with names, the page's language, nothing focusable
 * hidden from assistive technology, unique ids, well-formed lists and definition lists, and table
 * headers. Returns one line per finding; an empty list is a clean page. Plain JavaScript, evaluated
 * by Playwright (the tests compile without the DOM lib).
 */
export const pageAuditScript = String.raw`(() => {
  const findings = [];
  const name = (el) => {
    const id = el.getAttribute('data-testid') || el.getAttribute('data-action') || el.className || '';
    return el.tagName.toLowerCase() + (id ? '[' + String(id).slice(0, 30) + ']' : '') + ' "' + (el.textContent || '').trim().slice(0, 40) + '"';
  };
  const parse = (css) => {
    const m = css.match(/rgba?\(([^)]+)\)/);
    if (!m) return null;
    const p = m[1].split(/[ ,\/]+/).filter(Boolean).map(parseFloat);
    return { r: p[0], g: p[1], b: p[2], a: p.length > 3 ? p[3] : 1 };
  };
  const over = (top, bottom) => ({ r: top.r * top.a + bottom.r * (1 - top.a), g: top.g * top.a + bottom.g * (1 - top.a), b: top.b * top.a + bottom.b * (1 - top.a), a: 1 });
  const luminance = (c) => {
    const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
    return 0.2126 * f(c.r) + 0.7152 * f(c.g) + 0.0722 * f(c.b);
  };
  /** The element's background, composited from the page down; null where an image lies under the text (axe: needs review). */
  const background = (el) => {
    const layers = [];
    for (let node = el; node && node.nodeType === 1; node = node.parentElement) {
      const style = getComputedStyle(node);
      if (style.backgroundImage && style.backgroundImage !== 'none') return null;
      const c = parse(style.backgroundColor);
      if (c && c.a > 0) layers.push(c);
    }
    let result = { r: 255, g: 255, b: 255, a: 1 };
    for (const layer of layers.reverse()) result = over(layer, result);
    return result;
  };
  const visible = (el) => {
    const style = getComputedStyle(el);
    const box = el.getBoundingClientRect();
    return style.visibility !== 'hidden' && style.display !== 'none' && box.width > 0 && box.height > 0 && Number(style.opacity) > 0;
  };
  for (const el of document.body.querySelectorAll('*')) {
    const ownText = [...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim() !== '');
    if (!ownText || !visible(el) || el.closest('button:disabled')) continue;
    const bg = background(el);
    const fg = parse(getComputedStyle(el).color);
    if (!bg || !fg) continue;
    const shown = over(fg, bg);
    const [light, dark] = [luminance(shown), luminance(bg)].sort((a, b) => b - a);
    const ratio = (light + 0.05) / (dark + 0.05);
    const size = parseFloat(getComputedStyle(el).fontSize);
    const bold = Number(getComputedStyle(el).fontWeight) >= 700;
    const needed = size >= 24 || (size >= 18.66 && bold) ? 3 : 4.5;
    if (ratio < needed) findings.push('color-contrast: ' + name(el) + ' ' + ratio.toFixed(2) + ' < ' + needed);
  }
  for (const el of document.querySelectorAll('button, [role=button]')) {
    if (!(el.textContent || '').trim() && !el.getAttribute('aria-label')) findings.push('button-name: ' + name(el));
  }
  for (const el of document.querySelectorAll('[role=img], img, svg:not([aria-hidden=true])')) {
    if (el.tagName.toLowerCase() === 'svg' && el.closest('[role=img]')) continue;
    if (!el.getAttribute('aria-label') && !el.getAttribute('alt') && !el.getAttribute('aria-labelledby')) findings.push('image-alt: ' + name(el));
  }
  if (!document.documentElement.lang) findings.push('html-has-lang');
  for (const el of document.querySelectorAll('[lang]')) if (!/^[a-z]{2,3}(-[A-Za-z]{2,4})?$/.test(el.getAttribute('lang'))) findings.push('valid-lang: ' + name(el));
  for (const el of document.querySelectorAll('[aria-hidden=true] a, [aria-hidden=true] button, [aria-hidden=true] input, [aria-hidden=true] [tabindex]')) findings.push('aria-hidden-focus: ' + name(el));
  const ids = [...document.querySelectorAll('[id]')].map((el) => el.id);
  for (const id of new Set(ids.filter((id, i) => ids.indexOf(id) !== i))) findings.push('duplicate-id: ' + id);
  for (const list of document.querySelectorAll('ul, ol')) for (const child of list.children) if (!['li', 'script', 'template'].includes(child.tagName.toLowerCase())) findings.push('list: ' + name(child));
  for (const list of document.querySelectorAll('dl')) {
    for (const child of list.children) {
      const tag = child.tagName.toLowerCase();
      if (tag === 'div' ? [...child.children].some((c) => !['dt', 'dd'].includes(c.tagName.toLowerCase())) : !['dt', 'dd'].includes(tag)) findings.push('definition-list: ' + name(child));
    }
  }
  for (const table of document.querySelectorAll('table')) if (table.querySelectorAll('th').length === 0) findings.push('th-has-data-cells: ' + name(table));
  for (const el of document.querySelectorAll('[aria-current]')) if (!['page', 'step', 'location', 'date', 'time', 'true', 'false'].includes(el.getAttribute('aria-current'))) findings.push('aria-valid-attr-value: ' + name(el));
  return findings;
})()`;
