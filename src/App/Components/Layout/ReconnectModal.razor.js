// Drives the reconnect dialog (ReconnectModal.razor, ADR 0009) from the .NET 10 client script's
// components-reconnect-state-changed event, as the Blazor template's ReconnectModal does. The texts come localized
// from the dialog's data-text-* attributes; the message is replaced only when the state changes, so a screen reader
// hears each state once rather than every second of the countdown.
const modal = document.getElementById("components-reconnect-modal");
const message = document.getElementById("components-reconnect-message");
let wordedState = null;

modal.addEventListener("components-reconnect-state-changed", handleReconnectStateChanged);
document.getElementById("components-reconnect-button").addEventListener("click", retry);
document.getElementById("components-resume-button").addEventListener("click", resume);
document.getElementById("components-reload-button").addEventListener("click", () => location.reload());

function handleReconnectStateChanged(event) {
    const detail = event.detail;
    switch (detail.state) {
        case "show":
            open("show", modal.dataset.textShow);
            break;
        case "retrying":
            // The first attempts follow each other at once; only a wait between attempts is worth saying.
            if (detail.currentAttempt > 1 && detail.secondsToNextAttempt > 0) {
                open("retrying", modal.dataset.textRetrying);
            }
            break;
        case "paused":
            open("paused", modal.dataset.textPaused);
            break;
        case "failed":
            open("failed", modal.dataset.textFailed);
            document.addEventListener("visibilitychange", retryWhenDocumentBecomesVisible);
            break;
        case "resume-failed":
            if (detail.remote === true) {
                location.reload();
            } else {
                open("resume-failed", modal.dataset.textResumeFailed);
            }
            break;
        case "rejected":
            // The server was reached but neither the circuit nor its persisted state exists any more.
            location.reload();
            break;
        case "hide":
            wordedState = null;
            if (modal.open) {
                modal.close();
            }
            break;
    }
}

function open(state, text) {
    modal.dataset.state = state;
    if (wordedState !== state) {
        wordedState = state;
        message.textContent = text;
    }
    if (!modal.open) {
        modal.showModal();
    }
}

async function retry() {
    document.removeEventListener("visibilitychange", retryWhenDocumentBecomesVisible);
    open("show", modal.dataset.textShow);
    try {
        // true: reconnected; false: the server answered but no longer has the circuit; throws: server not reached.
        const successful = await Blazor.reconnect();
        if (!successful) {
            // Start a new circuit from the state persisted when the old one was evicted.
            const resumed = await Blazor.resumeCircuit();
            if (resumed) {
                modal.close();
            } else {
                location.reload();
            }
        }
    } catch {
        open("failed", modal.dataset.textFailed);
        document.addEventListener("visibilitychange", retryWhenDocumentBecomesVisible);
    }
}

async function resume() {
    try {
        if (!await Blazor.resumeCircuit()) {
            location.reload();
        }
    } catch {
        location.reload();
    }
}

async function retryWhenDocumentBecomesVisible() {
    if (document.visibilityState === "visible") {
        await retry();
    }
}
