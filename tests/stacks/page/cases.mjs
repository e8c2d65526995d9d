// Inputs for the matrix page (page/main.js) and the answers it must write, computed without kyc-wasm:
// - reasonIsPositive: tests/vectors/reasons.json, made by running Token of Trust's own reasonIsPositive (seed 004);
// - toQuery: tests/vectors/to_query.json, made by Rails ActiveSupport's Hash#to_query;
// - parseQuery, evaluateVerification, parseUploadTargets: hand-checked against Rack's parse_nested_query, the
//   seed's doVerifyPerson handler and OST's documented upload response (15-minute URLs), written out below.
import { readFileSync } from "node:fs";

const vectors = (name) => JSON.parse(readFileSync(new URL(`../../vectors/${name}`, import.meta.url), "utf8")).cases;

export function cases() {
  const reasons = vectors("reasons.json");
  const queries = vectors("to_query.json");
  const parse = [
    ["?a[b]=1&c[]=x&c[]=y&d", { a: { b: "1" }, c: ["x", "y"], d: null }],
    ["email=kyc%40ost.com&id2=3&id=5", { email: "kyc@ost.com", id2: "3", id: "5" }],
    ["user[name]=Ann+Lee&user[tags][]=a&user[tags][]=b%26c", { user: { name: "Ann Lee", tags: ["a", "b&c"] } }],
    ["x=%E2%82%AC&y=", { x: "€", y: "" }],
  ];
  const CONTINUE_URL = "https://app.tokenoftrust.com/continue/abc123";
  const verification = [
    [
      // conditionsMet with a positive gate: verified, and the seed's handler reports that gate's name.
      { code: "WorkflowService:conditionsMet", details: { conditionResult: { gates: { isCleared: true } } } },
      { action: "verified", verificationRequired: false, messageCode: "isCleared", continuation: null, error: null },
    ],
    [{ verificationRequired: false }, { action: "verified", verificationRequired: false, messageCode: null, continuation: null, error: null }],
    [
      { verificationRequired: true, continuation: { params: { url: CONTINUE_URL, title: "x" } } },
      { action: "continue", verificationRequired: true, messageCode: null, continuation: { url: CONTINUE_URL, title: "x", disableClose: true }, error: null },
    ],
  ];
  const put = (urls) => ({
    success: true,
    data: {
      result_type: "file_upload_put",
      file_upload_put: Object.fromEntries(Object.entries(urls).map(([k, [url, key]]) => [k, { url, fields: { key } }])),
    },
  });
  const uploads = [
    [
      {
        response: put({ selfie: ["https://s3.amazonaws.com/kyc/3/i/s?X-Amz-Signature=x", "3/i/s"], document_id: ["https://s3.amazonaws.com/kyc/3/i/d", "3/i/d"] }),
        options: { now: 1_700_000_000, files: { selfie: "IMAGE/JPEG", document_id: "image/png" } },
      },
      [
        ["selfie", "PUT", 1_700_000_900, "image/jpeg", "3/i/s"],
        ["document_id", "PUT", 1_700_000_900, "image/png", "3/i/d"],
      ],
    ],
  ];
  return {
    inputs: {
      reasonIsPositive: reasons.map((c) => (c.missing ? {} : { input: c.input })),
      toQuery: queries.map((c) => c.input),
      parseQuery: parse.map(([q]) => q),
      evaluateVerification: verification.map(([input]) => input),
      parseUploadTargets: uploads.map(([input]) => input),
    },
    expected: {
      reasonIsPositive: reasons.map((c) => c.positive),
      toQuery: queries.map((c) => c.query),
      parseQuery: parse.map(([, out]) => out),
      evaluateVerification: verification.map(([, out]) => out),
      parseUploadTargets: uploads.map(([, out]) => out),
      error: { instanceOfKycError: true, name: "KycError", code: "INVALID_ARGUMENT" },
    },
  };
}
