// OST webhook verifier: Rails-style encoder + hash-wasm (its HMAC is async to create, then reusable).
import { createHMAC, createSHA256 } from "hash-wasm";
import { checkTimestamp, constantTimeEqual, hexToBytes, prepare, text } from "./rails.mjs";

export async function ostVerifierHashWasm(secret) {
  const mac = await createHMAC(createSHA256(), secret);
  return (body, { url, now }) => {
    const { params, signature, text: toSign } = prepare(text(body), url);
    mac.init();
    mac.update(toSign);
    if (!constantTimeEqual(hexToBytes(signature), mac.digest("binary"))) throw new Error("bad signature");
    checkTimestamp(params, now);
    return params;
  };
}
