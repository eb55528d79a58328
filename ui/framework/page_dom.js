/* HOOKS H2 (ui/framework/__init__.py): what Streamlit's public API cannot set on its own page.
   `kita` is {lang, dir, mapTitle, style}, written in front of this file by ui/framework/page_dom.py.
   No tag-like text anywhere in this file (a less-than sign followed by a letter or slash): Streamlit's HTML
   sanitiser (DOMPurify) then drops the whole script (tests/test_framework.py checks every script file). */
(() => {
  // The html element's lang: Streamlit serves "en" (ui/framework/page_title.py now writes the URL's language)
  // and screen readers pick their voice from it; a language switch without reload changes it here.
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
