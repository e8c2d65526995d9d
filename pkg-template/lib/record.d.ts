// `record.js` has only internal helpers of the webhook handlers (the `record` option, see webhook.d.ts).
export {};
