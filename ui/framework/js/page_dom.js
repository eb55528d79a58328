/* HOOKS H2 (ui/framework/__init__.py): what Streamlit's public API cannot set on its own page.
   `kita` is {lang, dir, mapTitle, style}, written in front of this file by ui/framework/page_dom.py. */
(() => {
  // The document's language: Streamlit always serves lang="en", and screen readers pick their voice from it.
  document.documentElement.lang = kita.lang;
  // The accessibility style lives in the document's head (not in an element of the run, which a rerun replaces).
  if (!document.getElementById('kita-a11y')) {
    const style = document.createElement('style');
    style.id = 'kita-a11y';
    style.textContent = kita.style;
    document.head.appendChild(style);
  }
  // The map's iframe is named for screen readers (Streamlit titles it 'streamlit_folium.st_folium'); it may
  // appear after this script, so an observer names every map frame that comes.
  window.kitaMapTitle = kita.mapTitle;
  const name = () => document.querySelectorAll('iframe[src*="/streamlit_folium.st_folium/"]')
    .forEach(f => { if (f.title !== window.kitaMapTitle) f.title = window.kitaMapTitle; });
  name();
  if (!window.kitaMapObserver) {
    window.kitaMapObserver = new MutationObserver(name);
    window.kitaMapObserver.observe(document.body, {childList: true, subtree: true});
  }
  // The writing direction on the main block and the sidebar's content (Arabic: rtl). Not on the html element itself:
  // Streamlit's collapsed sidebar would slide into view.
  for (const id of ['stMain', 'stSidebarContent']) {
    const block = document.querySelector(`[data-testid="${id}"]`);
    if (block) block.dir = kita.dir;
  }
})();
