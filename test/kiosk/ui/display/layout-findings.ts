/**
 * Evaluated in the page (plain JavaScript: the tests compile without the DOM lib); one line per
 * finding, none on a good screen:
 * - the page scrolls sideways, or an element's right edge (or left edge) lies outside the viewport,
 *   or where no scrolling reaches it (above the page, below a fixed layer's bottom);
 * - a touch target (button, link, select, the label of a checkbox or radio) under 48 × 48 CSS px;
 * - the header's language buttons not on one line, or Sign-out off the screen.
 * Visually hidden text (clipped to 1 px, for screen readers) is not a box anyone sees or touches.
 */
export const layoutFindingsScript = String.raw`(() => {
  const findings = [];
  const describe = (el) => el.tagName.toLowerCase() + (el.className && typeof el.className === 'string' ? '.' + el.className.trim().split(/\s+/).join('.') : '') + ' "' + (el.textContent || '').trim().slice(0, 30) + '"';
  const shown = (el) => {
    const style = getComputedStyle(el);
    const box = el.getBoundingClientRect();
    return style.display !== 'none' && style.visibility !== 'hidden' && box.width > 1 && box.height > 1;
  };
  /** In (or itself) a position: fixed layer, with no scrolling box between: what lies beyond the viewport stays there. */
  const pinnedUnscrolled = (el) => {
    for (let node = el; node && node !== document.body; node = node.parentElement) {
      const style = getComputedStyle(node);
      if (node !== el && (style.overflowY === 'auto' || style.overflowY === 'scroll')) return false;
      if (style.position === 'fixed') return true;
    }
    return false;
  };
  const scroller = document.scrollingElement;
  if (scroller.scrollWidth > scroller.clientWidth) findings.push('scrolls sideways: ' + scroller.scrollWidth + ' > ' + scroller.clientWidth);
  const width = document.documentElement.clientWidth;
  for (const el of document.body.querySelectorAll('*')) {
    if (!shown(el)) continue;
    const box = el.getBoundingClientRect();
    if (box.right > width + 0.5 || box.left < -0.5) findings.push('sticks out (' + Math.round(box.left) + '..' + Math.round(box.right) + ' of ' + width + '): ' + describe(el));
    // Above the top of the page, or below the bottom of a fixed layer (a dialog taller than the screen): no scrolling reaches it.
    if (box.top + window.scrollY < -0.5) findings.push('above the top of the page (' + Math.round(box.top + window.scrollY) + '): ' + describe(el));
    if (box.bottom > innerHeight + 0.5 && pinnedUnscrolled(el)) findings.push('below a fixed layer that does not scroll (' + Math.round(box.bottom) + ' of ' + innerHeight + '): ' + describe(el));
    // Text wider than its box (a word that cannot break) spills out of it without moving the box.
    if (getComputedStyle(el).overflowX === 'visible' && box.left + el.scrollWidth > width + 0.5 && el.scrollWidth > el.clientWidth + 0.5) findings.push('its content spills past the viewport (' + el.scrollWidth + ' wide): ' + describe(el));
  }
  const targets = [...document.querySelectorAll('button, a[href], select')];
  for (const input of document.querySelectorAll('input[type=checkbox], input[type=radio]')) targets.push(input.closest('label') || input);
  for (const el of targets) {
    if (!shown(el)) continue;
    const box = el.getBoundingClientRect();
    if (box.width < 47.5 || box.height < 47.5) findings.push('small target ' + Math.round(box.width) + '×' + Math.round(box.height) + ': ' + describe(el));
  }
  const languages = [...document.querySelectorAll('nav.languages button')].map((el) => el.getBoundingClientRect().top);
  if (languages.length !== 4 || new Set(languages.map(Math.round)).size !== 1) findings.push('language buttons not on one line: ' + languages.join(', '));
  const tops = [...document.querySelectorAll('nav.languages button')].map((el) => el.getBoundingClientRect().height);
  const lineHeights = [...document.querySelectorAll('nav.languages button')].map((el) => el.scrollHeight - el.clientHeight);
  if (lineHeights.some((extra) => extra > 0)) findings.push('a language button overflows its box: ' + tops.join(', '));
  return findings;
})()`;
