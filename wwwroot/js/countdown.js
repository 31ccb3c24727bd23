// Speaking-time countdowns (issue 3). The server says once when a turn started and how many seconds it has
// (data-start, data-allowed, both from the server's clock); this script counts down in the browser, so nothing is sent
// while a turn runs. data-server-now is the server's clock when the element was rendered: the difference to this
// browser's clock is taken out, so a wrong clock on a phone or projector does not skew the timer.
//
// The server renders the time left at render time; this script rewrites that text node in place every 250 ms.
// It has role="timer" (not announced every second); at 30 seconds left and when time is up, a sentence goes into the
// polite live region named by data-announcer. data-state is "ok", "low" (30 s or less) or "over" (negative: the
// speaker overran; the chair decides).
(() => {
    'use strict';
    const seen = new WeakMap();

    const format = (seconds) => {
        const abs = Math.abs(seconds);
        const text = String(Math.floor(abs / 60)).padStart(2, '0') + ':' + String(abs % 60).padStart(2, '0');
        return seconds < 0 ? '\u2212' + text : text;
    };

    const announce = (el, message) => {
        const region = el.dataset.announcer ? document.getElementById(el.dataset.announcer) : null;
        if (region && message) {
            // Clear first so the same sentence twice in a row is still read out.
            region.textContent = '';
            setTimeout(() => { region.textContent = message; }, 60);
        }
    };

    const update = (el) => {
        const serverNow = Number(el.dataset.serverNow);
        const start = Number(el.dataset.start);
        const allowed = Number(el.dataset.allowed);
        if (!Number.isFinite(start) || !Number.isFinite(allowed)) {
            return;
        }

        let state = seen.get(el);
        if (!state || state.serverNow !== serverNow) {
            state = { ...(state || {}), serverNow, offset: Number.isFinite(serverNow) ? serverNow - Date.now() : 0 };
            seen.set(el, state);
        }

        const elapsed = Math.max(0, Math.floor((Date.now() + state.offset - start) / 1000));
        const left = allowed - elapsed;
        const text = format(left);
        if (el.textContent !== text) {
            // Rewrite the text node the server rendered (never replace it): Blazor keeps diffing the same node.
            if (el.firstChild && el.firstChild.nodeType === Node.TEXT_NODE && el.childNodes.length === 1) {
                el.firstChild.nodeValue = text;
            } else {
                el.textContent = text;
            }
        }

        const phase = left < 0 ? 'over' : left <= 30 ? 'low' : 'ok';
        if (el.dataset.state !== phase) {
            el.dataset.state = phase;
        }

        // A new turn or a new allowance starts afresh: only crossings seen while counting are announced.
        const turn = (el.dataset.turn || '') + '/' + allowed;
        if (state.turn !== turn) {
            state.turn = turn;
        } else if (state.left > 30 && left <= 30 && left > 0) {
            announce(el, el.dataset.msgLow);
        } else if (state.left > 0 && left <= 0) {
            announce(el, el.dataset.msgUp);
        }

        state.left = left;
    };

    const tick = () => document.querySelectorAll('[data-countdown]').forEach(update);
    setInterval(tick, 250);
    new MutationObserver(tick).observe(document.documentElement, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-allowed', 'data-start'] });
})();
