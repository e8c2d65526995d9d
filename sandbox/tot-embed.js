// The provider sandbox's Token of Trust embed.js. Like the real one it takes over `window.tot`: it replays
// the calls queued in `tot.q` (the seed's snippet pushes `arguments` objects there) and answers later calls
// directly. Commands: setPublicKey, modalOpen("continue", params) -> an iframe modal on params.url,
// modalClose, bind/unbind(event, handler). When the verification page in the iframe posts
// {"event":"modalClose","data":{"continue":true}}, the modal closes and every `modalClose` handler is called
// as (eventData, evt), where evt is the window's MessageEvent: `evt.data` is that JSON text.
(function () {
  "use strict";
  var w = window;
  var d = document;
  var script = d.currentScript || d.getElementById("tot-embed");
  var origin = new URL(script && script.src ? script.src : location.href).origin;
  var queued = (w.tot && w.tot.q) || [];
  var handlers = {};
  var publicKey = null;
  var modal = null;

  function style(el, css) {
    for (var k in css) el.style[k] = css[k];
    return el;
  }

  function fire(name, evt) {
    var list = (handlers[name] || []).slice();
    for (var i = 0; i < list.length; i++) {
      try {
        list[i]({ type: name }, evt);
      } catch (e) {
        console.error("[tot sandbox] a " + name + " handler threw", e);
      }
    }
  }

  function close(evt) {
    if (!modal) return;
    var m = modal;
    modal = null;
    m.overlay.style.opacity = "0";
    setTimeout(function () {
      if (m.overlay.parentNode) m.overlay.parentNode.removeChild(m.overlay);
    }, 160);
    d.documentElement.style.overflow = m.overflow;
    fire("modalClose", evt);
  }

  function closedByApp() {
    close({ data: JSON.stringify({ event: "modalClose", data: { continue: false } }), timeStamp: performance.now() });
  }

  function open(kind, params) {
    if (kind !== "continue" || !params || typeof params.url !== "string") {
      console.error("[tot sandbox] modalOpen needs (\"continue\", {url})");
      return;
    }
    if (modal) closedByApp();
    var src = new URL(params.url, origin);
    if (publicKey) src.searchParams.set("publicKey", publicKey);
    var overlay = style(d.createElement("div"), {
      position: "fixed", inset: "0", zIndex: "2147483000", background: "rgba(15, 23, 42, 0.55)",
      display: "flex", alignItems: "center", justifyContent: "center", opacity: "0", transition: "opacity .15s",
      backdropFilter: "blur(2px)",
    });
    overlay.id = "tot-modal";
    overlay.setAttribute("role", "dialog");
    overlay.setAttribute("aria-modal", "true");
    overlay.setAttribute("aria-label", "Token of Trust verification");
    var frame = style(d.createElement("div"), {
      position: "relative", width: "min(440px, 94vw)", height: "min(560px, 92vh)", background: "#fff",
      borderRadius: "14px", boxShadow: "0 24px 60px rgba(0,0,0,.35)", overflow: "hidden",
    });
    var iframe = style(d.createElement("iframe"), { width: "100%", height: "100%", border: "0", display: "block" });
    iframe.id = "tot-modal-iframe";
    iframe.title = "Token of Trust";
    iframe.src = src.toString();
    frame.appendChild(iframe);
    if (params.disableClose === false) {
      var x = style(d.createElement("button"), {
        position: "absolute", top: "8px", right: "10px", border: "0", background: "transparent",
        font: "22px/1 system-ui, sans-serif", color: "#64748b", cursor: "pointer",
      });
      x.textContent = "\u00d7";
      x.setAttribute("aria-label", "Close");
      x.onclick = closedByApp;
      frame.appendChild(x);
    }
    overlay.appendChild(frame);
    modal = { overlay: overlay, frame: frame, iframe: iframe, overflow: d.documentElement.style.overflow };
    d.documentElement.style.overflow = "hidden";
    d.body.appendChild(overlay);
    requestAnimationFrame(function () {
      overlay.style.opacity = "1";
    });
  }

  w.addEventListener("message", function (evt) {
    if (evt.origin !== origin || !modal || evt.source !== modal.iframe.contentWindow) return;
    var message;
    try {
      message = typeof evt.data === "string" ? JSON.parse(evt.data) : evt.data;
    } catch (e) {
      return;
    }
    if (message && message.event === "modalClose") close(evt);
    // The verification page reports its height, so the modal fits it.
    if (message && message.event === "resize" && typeof message.height === "number") {
      modal.frame.style.height = "min(" + Math.max(200, Math.ceil(message.height)) + "px, 92vh)";
      modal.frame.setAttribute("data-fitted", String(Math.ceil(message.height)));
    }
  });

  function handle(args) {
    var command = args[0];
    switch (command) {
      case "setPublicKey":
        publicKey = args[1];
        break;
      case "modalOpen":
        open(args[1], args[2]);
        break;
      case "modalClose":
        closedByApp();
        break;
      case "bind":
        if (typeof args[2] === "function") (handlers[args[1]] = handlers[args[1]] || []).push(args[2]);
        break;
      case "unbind":
        handlers[args[1]] = (handlers[args[1]] || []).filter(function (h) {
          return args[2] !== undefined && h !== args[2];
        });
        break;
      default:
        console.warn("[tot sandbox] unknown command", command);
    }
  }

  function tot() {
    handle(Array.prototype.slice.call(arguments));
  }
  tot.sandbox = true;
  w.tot = tot;
  for (var i = 0; i < queued.length; i++) handle(Array.prototype.slice.call(queued[i]));
})();
