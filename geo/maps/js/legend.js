{% macro script(this, kwargs) %}
(function() {
    var legend = L.control({position: {{ this.position|tojson }}});
    legend.onAdd = function() {
        var div = L.DomUtil.create('div', 'kita-legend');
        div.innerHTML = {{ this.html|tojson }};
        L.DomEvent.disableClickPropagation(div);
        // A phone's map is too narrow for the open legend: it starts folded to its title (a
        // disclosure: a tap, Enter or Space opens it); the area labels still name each class.
        var map = {{ this._parent.get_name() }};
        var folds = div.querySelector('details');
        if (folds && map.getSize().x < {{ this.fold_below }}) { folds.open = false; }
        return div;
    };
    legend.addTo({{ this._parent.get_name() }});
})();
{% endmacro %}
