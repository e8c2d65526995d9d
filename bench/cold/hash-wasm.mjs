// Cold start: import the Rails encoder + hash-wasm verifier (async HMAC setup) and verify one webhook.
import { BODY, OPTIONS, report } from "./_body.mjs";
const t0 = performance.now();
const { ostVerifierHashWasm } = await import("../peers/ost-hashwasm.mjs");
const verify = await ostVerifierHashWasm(OPTIONS.secret);
report(t0, verify(Buffer.from(BODY), OPTIONS));
