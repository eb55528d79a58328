/* HOOK H4 (ui/framework/__init__.py): bring a keyed container into view when it is not (e.g. the parents' card
   after a tap on the map on a phone). `kita` is {key, token}, written in front of this file by page_dom.py;
   the token makes each selection's script new, so Streamlit runs it again. */
(() => {
  const box = document.querySelector('.st-key-' + kita.key);
  if (!box) return;
  const top = box.getBoundingClientRect().top;
  if (top < 0 || top > window.innerHeight * 0.6) box.scrollIntoView({block: 'start', behavior: 'instant'});
})();
