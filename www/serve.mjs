// `node www/serve.mjs` runs the whole demo, exactly as `make demo` (`node sandbox/start.mjs`) does: the S3
// store, the provider sandbox and the demo app, which serves this directory at / and the browser build at
// /pkg/web/. DEMO_PORT (or PORT) sets the app's port, default 8080.
import { main } from "../sandbox/start.mjs";

await main();
