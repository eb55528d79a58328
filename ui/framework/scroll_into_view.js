/* HOOK H4 (ui/framework/__init__.py): when a card opens (search, tap on the map, list pick, shared link,
   Back/Forward), bring its heading fully into view below Streamlit's fixed header ([data-testid=stHeader], about
   60 px on a phone; scrollIntoView would put the heading under it) with room for what follows, and move the
   keyboard focus to the heading, so screen readers read the place's name first.
   `kita` is {key, token}, written in front of this file by page_dom.py; the token makes each selection's script
   new, so Streamlit runs it once per card. Content above the card may still change for a moment (the old search
   answer goes when the run ends; the browser's scroll anchoring then moves the page too), so the position is
   checked again for three seconds from the heading's first appearance (which may take a while on a busy
   machine); any input of the visitor (touch, wheel, key, mouse) or a scroll not made here while the content
   kept its height ends that at once: nothing moves under a finger. */
(() => {
  let stopped = false;
  const stop = () => { stopped = true; };
  const inputs = ['touchstart', 'wheel', 'keydown', 'mousedown'];
  inputs.forEach(name => window.addEventListener(name, stop, {capture: true, passive: true}));
  const done = () => inputs.forEach(name => window.removeEventListener(name, stop, {capture: true}));
  const scroller = node => {
    for (let n = node.parentElement; n; n = n.parentElement) {
      const style = getComputedStyle(n);
      if (/(auto|scroll)/.test(style.overflowY) && n.scrollHeight > n.clientHeight) return n;
    }
    return document.scrollingElement || document.documentElement;
  };
  // scrolled: [the scrolling block, where this script left it, the block's content height then]
  let focused = false, scrolled = null, seen = null;
  const started = Date.now();
  const check = () => {
    // Someone else moved the page since (the visitor, a link) while the content stayed as it was: leave it there.
    if (scrolled && Math.abs(scrolled[0].scrollTop - scrolled[1]) > 2
        && Math.abs(scrolled[0].scrollHeight - scrolled[2]) <= 2) stop();
    const now = Date.now();
    if (stopped || (seen ? now - seen > 3000 : now - started > 15000)) { done(); return; }
    const box = document.querySelector('.st-key-' + kita.key);
    const heading = box && box.querySelector('h1, h2, h3');
    if (heading) {
      if (!seen) seen = now;
      const header = document.querySelector('[data-testid="stHeader"]');
      const below = (header ? Math.max(0, header.getBoundingClientRect().bottom) : 0) + 8;
      const box = heading.getBoundingClientRect();
      const room = Math.min(160, window.innerHeight / 4);  // the heading and the first contact after it
      const block = scroller(heading);
      if (box.top < below || box.bottom + room > window.innerHeight) block.scrollTop += box.top - below;
      scrolled = [block, block.scrollTop, block.scrollHeight];
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
