// Cold start: import the Rails encoder + @noble/hashes verifier and verify one webhook.
import { BODY, OPTIONS, report } from "./_body.mjs";
const t0 = performance.now();
const { verifyOstNoble } = await import("../peers/ost-noble.mjs");
report(t0, verifyOstNoble(Buffer.from(BODY), OPTIONS));
