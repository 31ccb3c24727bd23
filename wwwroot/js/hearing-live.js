// The public live page of a hearing (Pages/Hearings/Live.razor): no Blazor circuit. The server sends the whole live
// state as one JSON text per change over server-sent events (/hearings/{id}/live/events); this script rewrites the
// page's texts and the countdown's data attributes (countdown.js counts down from them). EventSource reconnects by
// itself after a network drop and gets the current state first.
//
// Loaded on every page (App.razor): a link to the live page is followed by Blazor's enhanced navigation, which patches
// the page in without running its scripts, so the script starts on the first load and again after each enhanced
// navigation ('enhancedload'), and closes the stream of a live page that is gone.
(() => {
    'use strict';
    let current = null;

    const start = () => {
        const root = document.querySelector('[data-hearing-live]');
        if (current && root && current.root === root && current.url === root.dataset.hearingLive) {
            return;
        }

        if (current) {
            current.source.close();
            current = null;
        }

        if (!root || !window.EventSource) {
            return;
        }

        const labels = JSON.parse(root.dataset.labels || '{}');
        const part = (name) => root.querySelector('[data-live="' + name + '"]');
        const describe = (s) => s.name + ' · ' + (labels['category.' + s.category] || s.category) + ' · ' + (labels['position.' + s.position] || s.position);
        let lastSpeaker = null;

        const render = (state) => {
            part('stage').textContent = labels['stage.' + state.stage] || state.stage;
            const speaker = !state.speaker ? labels.nobody
                : state.askedBy ? (labels.question || '{0} → {1}').replace('{0}', () => state.askedBy).replace('{1}', () => state.speaker.name)
                : describe(state.speaker);
            part('speaker').textContent = speaker;
            const timer = part('timer');
            if (state.speaker && state.startedAtUtc) {
                timer.hidden = false;
                timer.dataset.serverNow = String(Date.now());
                timer.dataset.turn = state.startedAtUtc;
                timer.dataset.start = String(Date.parse(state.startedAtUtc));
                timer.dataset.allowed = String(state.allowedSeconds);
            } else {
                timer.hidden = true;
                delete timer.dataset.start;
                delete timer.dataset.allowed;
                timer.textContent = '';
            }

            const list = part('upcoming');
            list.replaceChildren(...state.upcoming.map((u) => {
                const li = document.createElement('li');
                li.textContent = describe(u);
                return li;
            }));
            part('spoken').textContent = String(state.spoken);
            if (speaker !== lastSpeaker && lastSpeaker !== null) {
                part('announce').textContent = speaker;
            }

            lastSpeaker = speaker;
            root.dataset.updated = String(Date.now());
        };

        const source = new EventSource(root.dataset.hearingLive);
        source.onmessage = (e) => render(JSON.parse(e.data));
        current = { root, source, url: root.dataset.hearingLive };
    };

    start();
    if (window.Blazor && typeof window.Blazor.addEventListener === 'function') {
        window.Blazor.addEventListener('enhancedload', start);
    } else {
        document.addEventListener('DOMContentLoaded', () => window.Blazor?.addEventListener?.('enhancedload', start));
    }
})();
