#!/usr/bin/env node
// `npx kyc-wasm <command>`: sign, verify, trigger and replay OST and Token of Trust webhooks (see `--help`).
import { main } from "../cli/main.mjs";

process.exitCode = await main(process.argv.slice(2));
