// CommonJS: require("kyc-wasm") and require("kyc-wasm/lite").
const kyc = require("kyc-wasm");
const lite = require("kyc-wasm/lite");
require("./routes.cjs").serve(kyc, lite, Number(process.env.PORT));
