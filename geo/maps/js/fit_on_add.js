{% macro script(this, kwargs) %}
{{ this._parent.get_name() }}.on('add', function(e) {
    var map = e.target._map;
    function fit() {
        // Keep the selection clear of the legend: beside it on a wide map, below it on a narrow one.
        var size = map.getSize(), topLeft = [16, 16], bottomRight = [16, 16];
        var legend = map.getContainer().querySelector('.kita-legend');
        if (legend && size.x > 2.2 * legend.offsetWidth) { bottomRight[0] = legend.offsetWidth + 24; }
        else if (legend) { topLeft[1] = legend.offsetHeight + 24; }
        map.fitBounds({{ this.bounds|tojson }}, {paddingTopLeft: topLeft, paddingBottomRight: bottomRight,
                                                 maxZoom: {{ this.max_zoom }}, animate: false});
    }
    // On a first load (a shared link) the frame may have no height yet, and the base map may still be
    // animating its own fit (whose end would undo this one): wait for both.
    // (The base map's zoom animation starts in the next animation frame, so look after that frame.)
    function whenSettled() {
        if (map.getSize().y < 100) { map.once('resize', whenSettled); }
        else if (map._animatingZoom) { map.once('zoomend', whenSettled); }
        else { fit(); }
    }
    L.Util.requestAnimFrame(whenSettled);
});
{% endmacro %}
