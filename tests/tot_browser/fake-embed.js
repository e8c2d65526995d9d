// A fake Token of Trust embed.js for the browser tests. Like the real one, it takes over `window.tot`: it
// replays the calls queued in `tot.q` (as `arguments` objects) and then answers calls directly. It records every
// call in `window.__totCalls` and lets the test post modal-close events with `window.__postModalClose` (and
// form-submitted ones with `window.__postModalFormSubmitted`).
(function () {
  "use strict";
  var w = window;
  var queued = (w.tot && w.tot.q) || [];
  var handlers = {}; // event name -> [function]
  w.__totCalls = w.__totCalls || [];
  w.__embedLoads = (w.__embedLoads || 0) + 1;

  // JSON-safe copy of a call's arguments: functions become "[function]".
  function record(args, replayed) {
    var copy = [];
    for (var i = 0; i < args.length; i++) {
      var a = args[i];
      copy.push(typeof a === "function" ? "[function]" : a === undefined ? null : JSON.parse(JSON.stringify(a)));
    }
    w.__totCalls.push({ args: copy, replayed: replayed });
  }

  function handle(args, replayed) {
    record(args, replayed);
    var command = args[0];
    if (command === "bind" && typeof args[2] === "function") {
      (handlers[args[1]] = handlers[args[1]] || []).push(args[2]);
    } else if (command === "modalClose") {
      w.__postModalClose({ data: { continue: false } }, Date.now());
    }
  }

  function tot() {
    handle(Array.prototype.slice.call(arguments), false);
  }

  w.tot = tot;
  for (var i = 0; i < queued.length; i++) {
    handle(Array.prototype.slice.call(queued[i]), true);
  }

  // Invokes each bound modalClose handler as the real embed does: (eventData, evt), where evt is the
  // window message event (`data` is the JSON text the TOT iframe posted, `timeStamp` its time).
  function post(name, data, timeStamp) {
    var evt = { data: typeof data === "string" ? data : JSON.stringify(data), timeStamp: timeStamp };
    var list = handlers[name] || [];
    var results = [];
    for (var j = 0; j < list.length; j++) {
      results.push(list[j]({ type: name }, evt));
    }
    return results;
  }
  w.__postModalClose = function (data, timeStamp) {
    return post("modalClose", data, timeStamp);
  };
  // The same for `modalFormSubmitted`, which the embed emits when the user submits the modal's form.
  w.__postModalFormSubmitted = function (data, timeStamp) {
    return post("modalFormSubmitted", data, timeStamp);
  };
  w.__totHandlerCount = function (name) {
    return (handlers[name] || []).length;
  };
})();
