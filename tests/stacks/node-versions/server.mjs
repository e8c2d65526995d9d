// ES modules: import from "kyc-wasm" and "kyc-wasm/lite" (named imports, so a missing export fails to link).
import { KycError, verifyOstWebhook, verifyTotWebhook, webhookHandler } from "kyc-wasm";
import { webhookHandler as liteWebhookHandler } from "kyc-wasm/lite";
import routes from "./routes.cjs";

routes.serve(
  { KycError, verifyOstWebhook, verifyTotWebhook, webhookHandler },
  { webhookHandler: liteWebhookHandler },
  Number(process.env.PORT),
);
