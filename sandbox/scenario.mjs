// Scriptable delivery scenarios of the provider sandbox (`POST /__sandbox/scenario`, and the start options of
// `npx kyc-wasm sandbox`): deliver the next events twice, or out of order, or fail the next delivery
// attempts. Each delivery (with its retries) is a `start()` returning a promise; `dispatch` decides when it
// runs, and `failAttempt()` whether an attempt fails before reaching the app.

const COUNT_MAX = 100;

export function createScenario() {
  const state = { deliverTwice: 0, outOfOrder: 0, failNext: 0 };
  const COUNTS = Object.keys(state);
  let held = null;
  return {
    state,
    /** Sets counts from `{deliverTwice, outOfOrder, failNext}` (whole numbers 0..100); returns an error text or null. */
    set(changes) {
      for (const name of COUNTS) {
        const v = changes?.[name];
        if (v === undefined) continue;
        if (!Number.isInteger(v) || v < 0 || v > COUNT_MAX) return `${name} must be a whole number from 0 to ${COUNT_MAX}`;
      }
      for (const name of COUNTS) if (changes?.[name] !== undefined) state[name] = changes[name];
      return null;
    },
    /**
     * `failNext`: true for each of the next N delivery attempts (of any event, either provider), which then
     * fail without reaching the app, as when it is down: the sender's retry policy takes over.
     */
    failAttempt() {
      if (state.failNext === 0) return false;
      state.failNext--;
      return true;
    },
    /**
     * Runs one delivery as the scenario says: `outOfOrder` holds it back until the next event has been
     * delivered; `deliverTwice` delivers it again (a new delivery: OST re-signs it, same id) once it is done.
     */
    dispatch(start) {
      if (held === null && state.outOfOrder > 0) {
        state.outOfOrder--;
        held = start;
        return;
      }
      let run = start();
      if (state.deliverTwice > 0) {
        state.deliverTwice--;
        run = run.then(() => start());
      }
      if (held !== null) {
        const older = held;
        held = null;
        run.then(() => older());
      }
    },
  };
}
