/* HOOK H4 (ui/framework/__init__.py): when a card opens (search, tap on the map, list pick, shared link,
   Back/Forward), bring its heading fully into view below Streamlit's fixed header ([data-testid=stHeader], about
   60 px on a phone; scrollIntoView would put the heading under it) with room for what follows, and move the
   keyboard focus to the heading, so screen readers read the place's name first.
   `kita` is {key, token}, written in front of this file by page_dom.py; the token makes each selection's script
   new, so Streamlit runs it once per card. Content above the card may still change for a moment (the old search
   answer goes when the run ends), so the position is checked again for up to three seconds; any input of the
   visitor (touch, wheel, key, mouse) or any scroll not made here ends that at once: nothing moves under a finger. */
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
  let focused = false, scrolled = null;  // scrolled: [the scrolling block, where this script left it]
  const started = Date.now();
  const check = () => {
    // Someone else moved the page since (the visitor, a link, the browser): leave it where it is.
    if (scrolled && Math.abs(scrolled[0].scrollTop - scrolled[1]) > 2) stop();
    if (stopped || Date.now() - started > 3000) { done(); return; }
    const box = document.querySelector('.st-key-' + kita.key);
    const heading = box && box.querySelector('h1, h2, h3');
    if (heading) {
      const header = document.querySelector('[data-testid="stHeader"]');
      const below = (header ? Math.max(0, header.getBoundingClientRect().bottom) : 0) + 8;
      const box = heading.getBoundingClientRect();
      const room = Math.min(160, window.innerHeight / 4);  // the heading and the first contact after it
      const block = scroller(heading);
      if (box.top < below || box.bottom + room > window.innerHeight) block.scrollTop += box.top - below;
      scrolled = [block, block.scrollTop];
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
