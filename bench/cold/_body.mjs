// The seed's user_register webhook (no imports here, so loading it costs nothing measurable).
/** The package's Node ESM entry: pkg/node/index.mjs, or the copy that bench/run.mjs passes in KYC_PKG. */
export const PKG_NODE = process.env.KYC_PKG
  ? new URL(`file://${process.env.KYC_PKG}/node/index.mjs`).href
  : new URL("../../pkg/node/index.mjs", import.meta.url).href;
/** The lite Node ESM entry: pkg/lite/node/index.mjs (or under KYC_PKG). */
export const PKG_LITE_NODE = process.env.KYC_PKG
  ? new URL(`file://${process.env.KYC_PKG}/lite/node/index.mjs`).href
  : new URL("../../pkg/lite/node/index.mjs", import.meta.url).href;
export const BODY =
  "created_at=1541144915&data%5Bresult_type%5D=user&data%5Buser%5D%5Bcreated_at%5D=1541144915" +
  "&data%5Buser%5D%5Bemail%5D=yogesh%2B13233%40ost.com&data%5Buser%5D%5Bid%5D=11493" +
  "&data%5Buser%5D%5Bproperties%5D%5B%5D=doptin_mail_sent&description=User+has+signed+up&id=236" +
  "&name=user_register&request_timestamp=1542185198" +
  "&signature=34e852b1bb2b73357483ce7d35a837611f098f9e7df580edb0bb735993868c0a&source=web&type=user&version=v1";
export const OPTIONS = { url: "https://webhook.ost.com/test/", secret: "WEBHOOK_SECRET_KEY", now: 1542185198 };
export const report = (t0, params) => {
  const t1 = performance.now();
  if (params.name !== "user_register") throw new Error("verify returned the wrong event");
  process.stdout.write(JSON.stringify({ importToVerify: t1 - t0, sinceProcessStart: t1 }));
};
