/* HOOK H4 (ui/framework/__init__.py): when a card opens (search, tap on the map, list pick, shared link,
   Back/Forward), bring its heading fully into view below Streamlit's fixed header ([data-testid=stHeader], about
   60 px on a phone; scrollIntoView would put the heading under it) with room for what follows, and move the
   keyboard focus to the heading, so screen readers read the place's name first.
   `kita` is {key, token}, written in front of this file by page_dom.py; the token makes each selection's script
   new, so Streamlit runs it once per card. Content above the card may still change for a moment (the old search
   answer goes when the run ends; a long place list is drawn anew, the page shrinks and grows back and the
   browser leaves it at its end), so the position is checked again for three seconds from the heading's first
   appearance (which may take a while on a busy machine). Any input of the visitor (touch, wheel, key, mouse)
   ends that at once, and so does a scroll not made here while the content kept its height (a screen reader):
   nothing moves under a finger. */
(() => {
  let stopped = false;
  const stop = () => { stopped = true; };
  const inputs = ['touchstart', 'wheel', 'keydown', 'mousedown'];
  inputs.forEach(name => window.addEventListener(name, stop, {capture: true, passive: true}));
  // mine: the scrolling block's position and content height at the last look (this script's scroll, or a scroll
  // that came with new content). Each scroll event compares: a new height means the content moved the page, the
  // same height and another position mean someone scrolled.
  let mine = null;
  const scrolledBy = e => {
    if (!mine || (e.target !== mine.block && !(e.target === document && mine.block === document.scrollingElement))) return;
    if (mine.block.scrollHeight !== mine.height) {  // the next check puts the heading back in view
      mine.height = mine.block.scrollHeight;
      mine.top = mine.block.scrollTop;
      return;
    }
    if (Math.abs(mine.block.scrollTop - mine.top) > 2) stop();
  };
  document.addEventListener('scroll', scrolledBy, {capture: true, passive: true});
  const done = () => {
    inputs.forEach(name => window.removeEventListener(name, stop, {capture: true}));
    document.removeEventListener('scroll', scrolledBy, {capture: true});
  };
  const scroller = node => {
    for (let n = node.parentElement; n; n = n.parentElement) {
      const style = getComputedStyle(n);
      if (/(auto|scroll)/.test(style.overflowY) && n.scrollHeight > n.clientHeight) return n;
    }
    return document.scrollingElement || document.documentElement;
  };
  let focused = false, seen = null;
  const started = Date.now();
  const check = () => {
    const now = Date.now();
    if (stopped || (seen ? now - seen > 3000 : now - started > 15000)) { done(); return; }
    const card = document.querySelector('.st-key-' + kita.key);
    const heading = card && card.querySelector('h1, h2, h3');
    if (heading) {
      if (!seen) seen = now;
      const header = document.querySelector('[data-testid="stHeader"]');
      const below = (header ? Math.max(0, header.getBoundingClientRect().bottom) : 0) + 8;
      const box = heading.getBoundingClientRect();
      const room = Math.min(160, window.innerHeight / 4);  // the heading and the first contact after it
      const block = scroller(heading);
      if (box.top < below || box.bottom + room > window.innerHeight) block.scrollTop += box.top - below;
      mine = {block: block, top: block.scrollTop, height: block.scrollHeight};
      if (!focused) {
        heading.tabIndex = -1;  // focusable by script, not a Tab stop of its own
        heading.focus({preventScroll: true});
        focused = true;
      }
    }
    setTimeout(check, 100);
  };
  check();
})();
