// The page every browser row builds (tests/stacks/<row>/): it imports the browser API from "kyc-wasm" the way
// an application does, runs each function on the inputs in inputs.json and writes the answers into the DOM as
// JSON. tests/stacks/browser-check.mjs compares them with answers computed without kyc-wasm (page/cases.mjs).
// No top-level await: the same source works in ESM, CommonJS and IIFE bundles.
import { evaluateVerification, KycError, parseQuery, parseUploadTargets, reasonIsPositive, toQuery } from "kyc-wasm";

const show = (status, results) => {
  document.getElementById("results").textContent = JSON.stringify(results);
  document.getElementById("status").textContent = status;
};

fetch("./inputs.json")
  .then((response) => response.json())
  .then((inputs) => {
    const results = {
      reasonIsPositive: inputs.reasonIsPositive.map((c) => reasonIsPositive(c.input)),
      toQuery: inputs.toQuery.map((params) => toQuery(params)),
      parseQuery: inputs.parseQuery.map((query) => parseQuery(query)),
      evaluateVerification: inputs.evaluateVerification.map((response) => evaluateVerification(response)),
      parseUploadTargets: inputs.parseUploadTargets.map(({ response, options }) =>
        parseUploadTargets(response, options).map((t) => [t.key, t.method, t.expiresAt, t.contentType, t.fields.key])),
    };
    try {
      toQuery(42);
      results.error = "toQuery(42) did not throw";
    } catch (e) {
      results.error = { instanceOfKycError: e instanceof KycError, name: e.name, code: e.code };
    }
    show("done", results);
  })
  .catch((e) => show(`error: ${e && e.name}: ${e && e.message}`, null));
