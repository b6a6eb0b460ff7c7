// backtone's page script. Loaded before textual.js, it wraps WebSocket so that it sees the
// app's output first: each bell becomes a short tone and each notification is spoken aloud.
// It also points textual.js at a websocket relative to this page (so `ssh -L` on any port
// works), keeps the screen awake where the browser allows it, and says why a tab closed.
(() => {
  "use strict";

  const SOUND_KEY = "backtone.sound";
  const CLOSE_TAB_LIMIT = 4029; // the server's "too many tabs" close code
  const MAX_STRING = 4096; // longest notification text kept; the rest of a string is dropped
  const TONE_SECONDS = 0.15;
  const BEL = 0x07;
  const ESC = 0x1b;
  const [TEXT, ESCAPE, STRING, STRING_ESC] = [0, 1, 2, 3];
  const decoder = new TextDecoder();

  // -- cues in the byte stream ---------------------------------------------------------------

  // A byte-level scanner kept per socket, so a sequence split across frames is still found.
  // A BEL that ends an OSC string (Textual's pointer shapes: ESC ] 22 ; name BEL) is no bell.
  class CueScanner {
    constructor(onBell, onNotice) {
      this.onBell = onBell;
      this.onNotice = onNotice;
      this.state = TEXT;
      this.isOsc = false;
      this.bytes = [];
    }

    feed(data) {
      for (const byte of data) this.step(byte);
    }

    step(byte) {
      switch (this.state) {
        case TEXT:
          if (byte === BEL) this.onBell();
          else if (byte === ESC) this.state = ESCAPE;
          break;
        case ESCAPE:
          this.escape(byte);
          break;
        case STRING:
          if (byte === BEL) this.finish();
          else if (byte === ESC) this.state = STRING_ESC;
          else if (byte === 0x18 || byte === 0x1a) this.state = TEXT; // CAN, SUB: cancelled
          else if (this.isOsc && this.bytes.length < MAX_STRING) this.bytes.push(byte);
          break;
        case STRING_ESC:
          if (byte === 0x5c) this.finish(); // ESC \ is ST
          else this.escape(byte); // any other ESC ends the string unfinished and starts anew
          break;
      }
    }

    escape(byte) {
      if (byte === 0x5d) this.begin(true); // ESC ] : OSC
      else if ([0x50, 0x58, 0x5e, 0x5f].includes(byte)) this.begin(false); // DCS SOS PM APC
      else if (byte === ESC) this.state = ESCAPE;
      else {
        this.state = TEXT;
        if (byte === BEL) this.onBell();
      }
    }

    begin(isOsc) {
      this.state = STRING;
      this.isOsc = isOsc;
      this.bytes = [];
    }

    finish() {
      this.state = TEXT;
      if (!this.isOsc) return;
      const text = noticeText(decoder.decode(new Uint8Array(this.bytes)));
      this.bytes = [];
      if (text) this.onNotice(text);
    }
  }

  // The text to speak for an OSC string, or null: OSC 9 (TEXT) and OSC 777 (notify;TITLE;BODY).
  function noticeText(osc) {
    const split = osc.indexOf(";");
    if (split < 0) return null;
    const code = osc.slice(0, split);
    const rest = osc.slice(split + 1);
    if (code === "9") {
      // "9;4;1;50" and the like are ConEmu's progress and other commands, not notifications.
      return /^\d+(;|$)/.test(rest) ? null : clean(rest) || null;
    }
    if (code === "777") {
      const [kind, title = "", ...body] = rest.split(";");
      return kind === "notify" ? sentences(clean(title), clean(body.join(";"))) : null;
    }
    return null;
  }

  function clean(text) {
    return text.replace(/[\u0000-\u001f\u007f-\u009f\s]+/g, " ").trim();
  }

  function sentences(title, body) {
    if (!title || !body) return title || body || null;
    return /[.!?:]$/.test(title) ? `${title} ${body}` : `${title}. ${body}`;
  }

  // -- sound ---------------------------------------------------------------------------------

  // Browsers play sound only after a gesture in the page: `wanted` is remembered, `ready`
  // becomes true at this page's first tap or key press once sound is wanted.
  const sound = { wanted: storedChoice(), ready: false, context: null, nextTone: 0 };

  function storedChoice() {
    try {
      return localStorage.getItem(SOUND_KEY) === "on";
    } catch {
      return false;
    }
  }

  function storeChoice(on) {
    try {
      localStorage.setItem(SOUND_KEY, on ? "on" : "off");
    } catch {
      // Storage may be off (private mode): the choice lasts for this page only.
    }
  }

  function audio() {
    const Context = window.AudioContext || window.webkitAudioContext;
    if (!sound.context && Context) sound.context = new Context();
    if (sound.context && sound.context.state === "suspended") {
      sound.context.resume().catch(() => {});
    }
    return sound.context;
  }

  function tone() {
    const context = audio();
    if (!context) return;
    // Bells in one burst play one after another instead of on top of each other.
    const start = Math.max(context.currentTime, sound.nextTone);
    const oscillator = context.createOscillator();
    const gain = context.createGain();
    oscillator.frequency.value = 880;
    gain.gain.setValueAtTime(0.0001, start);
    gain.gain.exponentialRampToValueAtTime(0.4, start + 0.01);
    gain.gain.exponentialRampToValueAtTime(0.0001, start + TONE_SECONDS);
    oscillator.connect(gain).connect(context.destination);
    oscillator.start(start);
    oscillator.stop(start + TONE_SECONDS + 0.02);
    sound.nextTone = start + TONE_SECONDS + 0.05;
  }

  function speak(text) {
    if (!window.speechSynthesis || !window.SpeechSynthesisUtterance) return;
    const utterance = new SpeechSynthesisUtterance(text);
    utterance.lang = "en"; // the app's texts are English, whatever the device's language
    // A new cue replaces what is still being said: two voices never overlap, and a stale
    // "Rep 3 of 12" is not read out after rep 4 has begun.
    window.speechSynthesis.cancel();
    window.speechSynthesis.speak(utterance);
  }

  function onBell() {
    if (sound.ready) tone();
    else nudge();
  }

  function onNotice(text) {
    if (sound.ready) speak(text);
    else nudge();
  }

  // -- the page ------------------------------------------------------------------------------

  let button = null;

  function drawButton() {
    if (!button) return;
    button.textContent = sound.ready ? "Mute" : "Sound on";
    button.classList.toggle("on", sound.ready);
    button.setAttribute("aria-pressed", String(sound.ready));
  }

  function nudge() {
    if (!button || button.classList.contains("nudge")) return;
    button.classList.add("nudge");
    button.addEventListener("animationend", () => button.classList.remove("nudge"), {
      once: true,
    });
  }

  function toggleSound() {
    sound.ready = !sound.ready;
    sound.wanted = sound.ready;
    storeChoice(sound.wanted);
    if (sound.ready) tone(); // at once, inside the gesture: unlocks audio, shows the volume
    else if (window.speechSynthesis) window.speechSynthesis.cancel();
    drawButton();
    const input = document.querySelector(".xterm-helper-textarea");
    if (input) input.focus(); // keys go back to the app
  }

  function onGesture(event) {
    keepAwake();
    if (!sound.wanted || sound.ready || event.target === button) return;
    sound.ready = true;
    audio();
    drawButton();
  }

  let wakeLock = null;
  let asking = false;

  async function keepAwake() {
    // Only in a secure context (localhost or HTTPS); elsewhere the README says what to do.
    if (!navigator.wakeLock || wakeLock || asking || document.visibilityState !== "visible") {
      return;
    }
    asking = true;
    try {
      wakeLock = await navigator.wakeLock.request("screen");
      document.documentElement.dataset.wakeLock = "held";
      wakeLock.addEventListener("release", () => {
        wakeLock = null;
        document.documentElement.dataset.wakeLock = "released";
      });
    } catch (error) {
      // Refused (battery saver, not visible, policy): asked again at the next tap.
      document.documentElement.dataset.wakeLock = `refused: ${error.name}`;
    } finally {
      asking = false;
    }
  }

  function showClosed(event) {
    const notice = document.getElementById("notice");
    if (!notice) return;
    const text =
      event.code === CLOSE_TAB_LIMIT
        ? `${event.reason || "backtone is open in too many tabs"}, the most it serves at ` +
          "once. Close one of them, then open this one again."
        : "backtone has closed. Open it again to go on: a session left half-way can be resumed.";
    document.getElementById("notice-text").textContent = text;
    notice.hidden = false;
  }

  function websocketUrl() {
    const url = new URL("ws", window.location.href);
    url.protocol = window.location.protocol === "https:" ? "wss:" : "ws:";
    url.search = "";
    url.hash = "";
    return url.href;
  }

  // The token has done its work (the cookie carries it now): keep it out of the address bar.
  const params = new URLSearchParams(window.location.search);
  if (params.has("token")) {
    params.delete("token");
    const query = params.toString();
    const path = window.location.pathname + (query ? `?${query}` : "") + window.location.hash;
    window.history.replaceState(null, "", path);
  }

  const NativeWebSocket = window.WebSocket;
  window.WebSocket = class CueWebSocket extends NativeWebSocket {
    constructor(url, protocols) {
      super(url, protocols);
      const scanner = new CueScanner(onBell, onNotice);
      this.addEventListener("message", (event) => {
        if (event.data instanceof ArrayBuffer) scanner.feed(new Uint8Array(event.data));
      });
      this.addEventListener("close", showClosed);
    }
  };

  document.addEventListener("DOMContentLoaded", () => {
    const terminal = document.getElementById("terminal");
    terminal.dataset.sessionWebsocketUrl = websocketUrl();
    const size = Number.parseInt(params.get("fontsize") || "", 10);
    if (size >= 8 && size <= 64) terminal.dataset.fontSize = String(size);
    button = document.getElementById("sound");
    button.addEventListener("click", toggleSound);
    document.getElementById("reload").addEventListener("click", () => window.location.reload());
    drawButton();
    window.addEventListener("pointerdown", onGesture, true);
    window.addEventListener("keydown", onGesture, true);
    document.addEventListener("visibilitychange", keepAwake);
    keepAwake();
  });
})();
