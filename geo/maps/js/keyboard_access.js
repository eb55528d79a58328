{% macro script(this, kwargs) %}
(function(map) {
    {%- if this.report_clicks %}
    var instance = Math.random().toString(36).slice(2), count = 0;
    function report(layer) {
        var p = layer.feature.properties;
        count += 1;
        // The page's component bridge (ui/framework/report_value.js) sends it to Streamlit at once.
        if (window.kitaReportValue) {
            window.kitaReportValue({last_active_drawing: {type: 'Feature', properties: {typ: p.typ,
                gebiet_rs: p.gebiet_rs || null, id: p.id || null}}, klick: instance + '-' + count});
        }
    }
    {%- endif %}
    function wire() {
        map.eachLayer(function(layer) {
            var p = layer.feature && layer.feature.properties;
            if (!p || !p.typ) return;
            {%- if this.report_clicks %}
            if (!layer._reportsClicks) {  // also a layer drawn on a canvas (no element of its own)
                layer._reportsClicks = true;
                layer.on('click', function() { report(layer); });
            }
            {%- endif %}
            var el = layer.getElement && layer.getElement();
            if (!el || el.getAttribute('data-keyboard')) return;
            el.setAttribute('data-keyboard', '1');
            el.setAttribute('tabindex', '0');
            el.setAttribute('role', 'button');
            el.setAttribute('aria-label', p.label || (p.typ === 'kita' ? p.name : p.gebiet));
            el.addEventListener('keydown', function(e) {
                if (e.key !== 'Enter' && e.key !== ' ') return;
                e.preventDefault();
                var at = layer.getLatLng ? layer.getLatLng() : layer.getBounds().getCenter();
                layer.fire('click', {latlng: at, originalEvent: e}, true);
            });
        });
    }
    map.whenReady(wire);
    map.on('layeradd', function() { setTimeout(wire, 0); });
})({{ this._parent.get_name() }});
{% endmacro %}
