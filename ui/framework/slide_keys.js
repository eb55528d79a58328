{% macro script(this, kwargs) %}
(function() {
    var map = {{ this._parent.get_name() }};
    if (map.keyboard) { map.keyboard.disable(); }
    var host = null;
    try { if (window.parent !== window) { host = window.parent.document; } } catch (e) { host = null; }
    if (!host) { return; }
    var buttons = {{ this.buttons|tojson }};
    document.addEventListener('keydown', function(event) {
        var key = buttons[event.key];
        var button = key && host.querySelector('.st-key-' + key + ' button');
        if (!button) { return; }
        event.preventDefault();
        event.stopPropagation();
        button.click();
    }, true);
    var giveBack = function() {
        setTimeout(function() {
            if (document.activeElement && document.activeElement.blur) { document.activeElement.blur(); }
            window.parent.focus();
        }, 0);
    };
    document.addEventListener('pointerup', giveBack, true);
    document.addEventListener('touchend', giveBack, true);
})();
{% endmacro %}
