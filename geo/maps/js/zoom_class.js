{% macro script(this, kwargs) %}
(function(map) {
    function toggle() {
        map.getContainer().classList.toggle('zoom-gemeinden', map.getZoom() >= {{ this.min_zoom }});
    }
    map.on('zoomend', toggle);
    map.whenReady(toggle);
})({{ this._parent.get_name() }});
{% endmacro %}
