/* HOOK H5 (ui/framework/__init__.py): runs in the map component's iframe. Sends a value to Streamlit at once
   with the message of Streamlit's component protocol (what streamlit-component-lib's setComponentValue posts
   from a component's iframe, which streamlit-folium has announced as ready). geo/maps/js/keyboard_access.js
   calls it on a click or Enter/Space: streamlit-folium itself would send only 250 ms after the last map event. */
window.kitaReportValue = function(value) {
  window.parent.postMessage({isStreamlitMessage: true, type: 'streamlit:setComponentValue', dataType: 'json',
                             value: value}, '*');
};
