{% macro script(this, kwargs) %}
(function(layer, texts, lang, dir) {
    layer.bindTooltip(function(item) {
        var p = item.feature.properties, box = document.createElement('div'), name = document.createElement('b');
        box.lang = lang;
        box.dir = dir;
        name.textContent = p.name;
        box.appendChild(name);
        [p.ort, texts[p.versorgt ? 1 : 0]].forEach(function(line) {
            box.appendChild(document.createElement('br'));
            box.appendChild(document.createTextNode(line));
        });
        return box;
    }, {sticky: true});
})({{ this._parent.get_name() }}, {{ this.texts|tojson }}, {{ this.lang|tojson }}, {{ this.dir|tojson }});
{% endmacro %}
