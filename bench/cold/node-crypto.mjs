// Cold start: import the hand-written Rails encoder + node:crypto verifier and verify one webhook.
import { BODY, OPTIONS, report } from "./_body.mjs";
const t0 = performance.now();
const { verifyOstNodeCrypto } = await import("../peers/ost-node.mjs");
report(t0, verifyOstNodeCrypto(Buffer.from(BODY), OPTIONS));
