// Scriptable delivery scenarios of the provider sandbox (`POST /__sandbox/scenario`, and the start options of
// `npx kyc-wasm sandbox`): deliver the next events twice, or out of order. Each delivery (with its retries)
// is a `start()` returning a promise; `dispatch` decides when it runs.

const COUNT_MAX = 100;

export function createScenario() {
  const state = { deliverTwice: 0, outOfOrder: 0 };
  let held = null;
  return {
    state,
    /** Sets counts from `{deliverTwice, outOfOrder}` (whole numbers 0..100); returns an error text or null. */
    set(changes) {
      for (const name of ["deliverTwice", "outOfOrder"]) {
        const v = changes?.[name];
        if (v === undefined) continue;
        if (!Number.isInteger(v) || v < 0 || v > COUNT_MAX) return `${name} must be a whole number from 0 to ${COUNT_MAX}`;
      }
      for (const name of ["deliverTwice", "outOfOrder"]) if (changes?.[name] !== undefined) state[name] = changes[name];
      return null;
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
