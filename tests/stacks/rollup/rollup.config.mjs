// The usual Rollup set-up for a browser app: node-resolve with its defaults, ES module output.
import { nodeResolve } from "@rollup/plugin-node-resolve";

export default {
  input: "src/main.js",
  output: { dir: "dist", format: "es" },
  plugins: [nodeResolve()],
};
