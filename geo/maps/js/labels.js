{% macro script(this, kwargs) %}
{{ this.labels|tojson }}.forEach(function(label) {
    L.marker([label[0], label[1]], {
        icon: L.divIcon({html: label[2], iconSize: [0, 0], className: 'empty'}),
        interactive: false, keyboard: false, pane: {{ this.pane|tojson }}
    }).addTo({{ this._parent.get_name() }});
});
{% endmacro %}
