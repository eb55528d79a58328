{% macro script(this, kwargs) %}
(function(map) {
    document.documentElement.lang = {{ this.lang|tojson }};
    document.documentElement.dir = 'ltr';
    var container = map.getContainer();
    container.setAttribute('lang', {{ this.lang|tojson }});
    container.setAttribute('dir', 'ltr');
})({{ this._parent.get_name() }});
{% endmacro %}
