package dev.caravan.service;

/**
 * The status page's one style block and one script, and the Content-Security-Policy that allows
 * exactly these two by their SHA-256 and nothing else: no other script, no inline handler, no
 * external resource, no frame, no form. The script refreshes the page's {@code <main>} every
 * {@value #REFRESH_SECONDS} s from the same URL and makes the copy buttons work; without script a
 * {@code <noscript>} meta refresh reloads the whole page instead.
 */
final class StatusAssets {
    static final int REFRESH_SECONDS = 15;

    static final String STYLE = """
            body{font-family:system-ui,sans-serif;margin:1.5em 2em;color:#222;background:#fff}
            h1{margin:0 0 .2em}h2{margin:.2em 0}h3{margin:1em 0 .3em;font-size:1em}
            table{border-collapse:collapse;margin:.3em 0}td,th{border:1px solid #ccc;padding:.25em .5em;text-align:left;vertical-align:top}
            th{background:#f3f3f3}.ok{color:#176f2c}.bad{color:#b00020;font-weight:bold}.muted{color:#777}
            section.plan{margin-bottom:2.5em;padding-top:.5em;border-top:3px solid #5b8def}
            code.cmd{font-size:.85em;word-break:break-all}time{white-space:nowrap}button.copy{font-size:.8em;margin-left:.4em;cursor:pointer}
            #refresh-state{color:#777;font-size:.9em}#refresh-state.bad{color:#b00020}
            """;

    static final String SCRIPT = """
            (function () {
              'use strict';
              var state = document.getElementById('refresh-state');
              function fallbackCopy(text) {
                var t = document.createElement('textarea');
                t.value = text; document.body.appendChild(t); t.select();
                var ok = document.execCommand('copy'); document.body.removeChild(t);
                return ok;
              }
              document.addEventListener('click', function (e) {
                var b = e.target.closest('button.copy');
                if (!b) { return; }
                var text = b.getAttribute('data-copy');
                var done = function () { b.textContent = 'copied'; setTimeout(function () { b.textContent = 'copy'; }, 2000); };
                if (navigator.clipboard && window.isSecureContext) {
                  navigator.clipboard.writeText(text).then(done, function () { if (fallbackCopy(text)) { done(); } });
                } else if (fallbackCopy(text)) { done(); }
              });
              function refresh() {
                fetch(window.location.pathname, {cache: 'no-store', credentials: 'same-origin'}).then(function (r) {
                  if (!r.ok) { throw new Error('HTTP ' + r.status); }
                  return r.text();
                }).then(function (html) {
                  var fresh = new DOMParser().parseFromString(html, 'text/html').getElementById('status');
                  if (!fresh) { throw new Error('no status in the answer'); }
                  document.getElementById('status').replaceWith(document.importNode(fresh, true));
                  state.className = ''; state.setAttribute('data-refreshed', new Date().toISOString());
                  state.textContent = 'Refreshed ' + new Date().toLocaleTimeString() + '; next in %d s.';
                }).catch(function (e) {
                  state.className = 'bad';
                  state.textContent = 'Refresh failed (' + e.message + '); showing an older page, trying again in %d s.';
                });
              }
              setInterval(refresh, %d);
            })();
            """.formatted(REFRESH_SECONDS, REFRESH_SECONDS, REFRESH_SECONDS * 1000);

    /** The value of the page's Content-Security-Policy header. */
    static final String CSP = "default-src 'none'; script-src " + Html.cspHash(SCRIPT) + "; style-src " + Html.cspHash(STYLE)
            + "; connect-src 'self'; img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    private StatusAssets() {
    }
}
