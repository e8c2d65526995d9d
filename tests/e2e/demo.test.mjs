// The demo end to end, as a person uses it: `node sandbox/start.mjs` (the same script `make demo` runs) on
// free ports, driven in headless Debian Chromium with playwright-core. It walks signup -> KYC form (live
// validation errors shown, then fixed) -> document upload (a magic-byte refusal, then progress bars and
// previews) -> "Verify with Token of Trust" (the sandbox's modal, Submit documents, Finish) -> webhooks
// (one delivery failed on purpose and retried) -> status "cleared" -> tampered webhooks rejected.
// Every step asserts on the page's text and leaves a screenshot in test-output/demo/NN-step.png.
//
// Run: node --test tests/e2e/   (needs pkg/ built: bash scripts/build.sh). CHROMIUM overrides the browser.

import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { after, before, test } from "node:test";
import { fileURLToPath } from "node:url";

import { chromium } from "playwright-core";

import { demoSecrets } from "../../sandbox/start.mjs";

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, "../..");
const OUT = path.join(ROOT, "test-output", "demo");
const CHROMIUM = process.env.CHROMIUM || "/usr/bin/chromium";
// The flags Chromium needs as root in a container (team rules), minus --headless, which playwright adds.
const FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"];
const SEED = `e2e-${process.pid}-${Date.now()}`;
const SECRETS = demoSecrets(SEED);
const WAIT = 20_000;

const PKG = path.resolve(process.env.KYC_WASM_PKG || path.join(ROOT, "pkg"));
for (const file of ["web/kyc_wasm.js", "web/kyc_wasm_bg.wasm", "node/kyc_wasm.js"]) {
  if (!existsSync(path.join(PKG, file))) throw new Error(`${path.join(PKG, file)} is missing: run \`bash scripts/build.sh\` first`);
}

let demo; // {child, url, output}
let child; // the demo process, as soon as it is spawned
let browser;
let page;
let scratch;
let shot = 0;

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** Starts `node sandbox/start.mjs` on free ports and resolves once it prints the app URL. */
async function startDemo() {
  const [appPort, sandboxPort] = [await freePort(), await freePort()];
  child = spawn(process.execPath, [path.join(ROOT, "sandbox", "start.mjs")], {
    cwd: ROOT,
    env: {
      ...process.env,
      DEMO_PORT: String(appPort),
      SANDBOX_PORT: String(sandboxPort),
      SANDBOX_STEP_MS: "600",
      SANDBOX_REVIEW_MS: "3000",
      SANDBOX_RETRY_MS: "400",
      DEMO_SECRET_SEED: SEED,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the demo did not start within 30 s:\n${output}`)), 30_000);
    const onData = (d) => {
      output += d;
      const m = /kyc-wasm demo: (http:\/\/127\.0\.0\.1:\d+\/)[^]*Ctrl-C stops everything/.exec(output);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", (d) => (output += d));
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`the demo exited (${code}):\n${output}`));
    });
  });
  child.stdout.on("data", (d) => (output += d));
  assert.equal(url, `http://127.0.0.1:${appPort}/`, "the app listens on DEMO_PORT");
  assert.match(output, new RegExp(`provider sandbox +http://127\\.0\\.0\\.1:${sandboxPort}`), "the sandbox listens on SANDBOX_PORT");
  return { child, url, output: () => output };
}

/** Saves test-output/demo/NN-name.png: the whole page, or only the viewport (for the modal, which is fixed). */
async function screenshot(name, { fullPage = true } = {}) {
  shot += 1;
  const file = path.join(OUT, `${String(shot).padStart(2, "0")}-${name}.png`);
  await page.screenshot({ path: file, fullPage });
  return file;
}

const text = (selector) => page.locator(selector).innerText();

/** Waits until the inspector lists a delivery whose text matches every pattern. */
async function delivery(...patterns) {
  await page.waitForFunction(
    // textContent: the details of an entry count even while it is collapsed.
    (sources) => [...document.querySelectorAll("#deliveries li.entry")].some((li) => sources.every((s) => new RegExp(s).test(li.textContent))),
    patterns.map((p) => p.source),
    { timeout: WAIT },
  );
}

/** Small valid documents: a JPEG and a PNG drawn by Chromium's own encoders, and a one-page PDF. */
async function makeFixtures() {
  const images = await page.evaluate(async () => {
    const draw = (w, h, paint, type) => {
      const c = Object.assign(document.createElement("canvas"), { width: w, height: h });
      paint(c.getContext("2d"), w, h);
      return new Promise((resolve) => c.toBlob(async (b) => resolve([...new Uint8Array(await b.arrayBuffer())]), type, 0.85));
    };
    const id = await draw(480, 300, (g, w, h) => {
      g.fillStyle = "#dbeafe";
      g.fillRect(0, 0, w, h);
      g.fillStyle = "#1e3a8a";
      g.fillRect(0, 0, w, 50);
      g.fillStyle = "#fff";
      g.font = "bold 22px sans-serif";
      g.fillText("TEST ID CARD", 20, 33);
      g.fillStyle = "#94a3b8";
      g.fillRect(24, 76, 120, 150);
      g.fillStyle = "#0f172a";
      g.font = "bold 20px sans-serif";
      g.fillText("ADA LOVELACE", 170, 110);
      g.font = "16px monospace";
      g.fillText("No P1234567", 170, 145);
      g.fillText("Born 10/12/1985", 170, 175);
    }, "image/jpeg");
    const selfie = await draw(240, 240, (g, w, h) => {
      g.fillStyle = "#fde68a";
      g.fillRect(0, 0, w, h);
      g.fillStyle = "#fcd9b8";
      g.beginPath();
      g.arc(w / 2, h / 2 - 10, 60, 0, Math.PI * 2);
      g.fill();
      g.fillStyle = "#1f2937";
      g.beginPath();
      g.arc(w / 2 - 22, h / 2 - 20, 6, 0, Math.PI * 2);
      g.arc(w / 2 + 22, h / 2 - 20, 6, 0, Math.PI * 2);
      g.fill();
      g.fillStyle = "#4f46e5";
      g.fillRect(w / 2 - 80, h - 50, 160, 50);
    }, "image/png");
    return { id, selfie };
  });
  const content = "BT /F1 18 Tf 56 760 Td (Proof of residence - e2e fixture) Tj ET";
  const objects = [
    "<< /Type /Catalog /Pages 2 0 R >>",
    "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
    "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
    "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    `<< /Length ${content.length} >>\nstream\n${content}\nendstream`,
  ];
  let pdf = "%PDF-1.4\n";
  const offsets = objects.map((body, i) => {
    const at = pdf.length;
    pdf += `${i + 1} 0 obj\n${body}\nendobj\n`;
    return at;
  });
  const xref = pdf.length;
  pdf += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, "0")} 00000 n \n`).join("")}`;
  pdf += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;

  const files = {
    id: path.join(scratch, "id-card.jpg"),
    selfie: path.join(scratch, "selfie.png"),
    // PNG bytes under a .jpg name: the browser declares image/jpeg, the magic bytes say PNG.
    fakeJpeg: path.join(scratch, "selfie-renamed.jpg"),
    pdf: path.join(scratch, "proof-of-residence.pdf"),
  };
  writeFileSync(files.id, Buffer.from(images.id));
  writeFileSync(files.selfie, Buffer.from(images.selfie));
  writeFileSync(files.fakeJpeg, Buffer.from(images.selfie));
  writeFileSync(files.pdf, pdf);
  const id = Buffer.from(images.id);
  assert.deepEqual([...id.subarray(0, 3)], [0xff, 0xd8, 0xff], "Chromium made a JPEG");
  assert.deepEqual([...Buffer.from(images.selfie).subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], "Chromium made a PNG");
  return files;
}

before(async () => {
  rmSync(OUT, { recursive: true, force: true });
  mkdirSync(OUT, { recursive: true });
  scratch = mkdtempSync(path.join(os.tmpdir(), "kyc-demo-e2e-"));
  demo = await startDemo();
  browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: FLAGS });
  const context = await browser.newContext({ viewport: { width: 1360, height: 900 } });
  // Everything the page receives as Server-Sent Events, to check that no secret ever reaches it.
  await context.addInitScript(() => {
    window.__sse = [];
    const Native = window.EventSource;
    window.EventSource = class extends Native {
      constructor(...args) {
        super(...args);
        for (const type of ["hello", "state", "webhook", "ostRequest"]) this.addEventListener(type, (e) => window.__sse.push(e.data));
      }
    };
  });
  page = await context.newPage();
  page.errors = [];
  page.bodies = [];
  page.on("pageerror", (e) => page.errors.push(e));
  page.notFound = [];
  page.on("response", async (r) => {
    if (r.status() === 404) page.notFound.push(r.url());
    if (r.url().startsWith(demo.url) && r.headers()["content-type"]?.includes("json")) page.bodies.push(await r.text().catch(() => ""));
  });
});

after(async () => {
  await browser?.close();
  if (child && child.exitCode === null) {
    const exited = new Promise((resolve) => child.once("exit", resolve));
    child.kill("SIGTERM");
    await exited;
  }
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

test("the demo, end to end: signup, KYC, uploads, Token of Trust, webhooks, cleared", async (t) => {
  let files;

  await t.test("a first-time visitor sees the four steps and an empty status", async () => {
    await page.goto(demo.url);
    await page.waitForSelector("body[data-ready=true]", { timeout: WAIT });
    await page.waitForSelector("#live.on", { timeout: WAIT });
    assert.match(await text("#step-signup"), /Create your account/);
    assert.match(await text("#step-tot"), /Verify with Token of Trust/);
    assert.equal(await text("#headline"), "not started");
    assert.match(await text("#deliveries"), /No webhook received yet/);
    assert.equal(await page.locator("#step-details").getAttribute("data-state"), "locked");
    // Before signing up, the inspector's actions are disabled with a hint (they act on the visitor's user).
    assert.equal(await page.locator("#tamper").isDisabled(), true);
    assert.equal(await page.locator("#outage").isDisabled(), true);
    assert.match(await text("#inspector-hint"), /Sign up first/);
    // A favicon, so no 404 on load; the status and inspector stay in view on a wide screen.
    assert.equal(await page.locator('link[rel="icon"]').count(), 1);
    assert.deepEqual(page.notFound, []);
    assert.equal(await page.locator("aside.side").evaluate((n) => getComputedStyle(n).position), "sticky");
    files = await makeFixtures();
    await screenshot("landing");
  });

  await t.test("signup creates the OST user through a signed request, and its webhook arrives verified", async () => {
    await page.fill("#email", "ada.lovelace@example.com");
    await page.click("#signup");
    await page.waitForFunction(() => /OST user #\d+/.test(document.querySelector("#signup-result").innerText), null, { timeout: WAIT });
    assert.match(await text("#signup-result"), /Signed up: ada\.lovelace@example\.com is OST user #\d+\./);
    await delivery(/OST/, /user_register/, /verified · 200/);
    const explain = await text("#explain");
    assert.match(explain, /POST\s*\/api\/v2\/users/);
    assert.match(explain, /\/api\/v2\/users\?api_key=sandbox_[0-9a-f]+&email=ada\.lovelace%40example\.com&request_timestamp=\d+/);
    assert.match(explain, /HMAC-SHA256\(apiSecret, string to sign\)/);
    assert.match(explain, /The OST sandbox rebuilt the same string/);
    assert.equal(await page.locator("#step-details").getAttribute("data-state"), "active");
    assert.equal(await page.locator("#tamper").isDisabled(), false);
    assert.equal(await page.locator("#outage").isDisabled(), false);
    assert.equal(await page.locator("#inspector-hint").isHidden(), true);
    await screenshot("signed-up");
  });

  await t.test("the KYC form shows validateKycSubmission's problems live", async () => {
    const form = {
      first_name: "Ada",
      last_name: "Lovelace",
      birthdate: "31/02/1985", // no such day
      nationality: "BRITISH",
      document_id_number: "P1234567",
      country: "UNITED KINGDOM",
      street_address: "12 St James's Square",
      city: "London",
      state: "Greater London",
      postal_code: "SW1Y 4JH",
      estimated_participation_amount: "-2",
      // The EIP-55 example address with its last letter's case flipped: a checksum typo.
      ethereum_address: "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD",
    };
    for (const [name, value] of Object.entries(form)) {
      await page.fill(`#kyc-form [name=${name}]`, value);
      await page.locator(`#kyc-form [name=${name}]`).blur();
    }
    await page.fill("#kyc-form [name=city]", "");
    const error = (field) => text(`#kyc-form label[data-field=${field}] .err`);
    await page.waitForFunction(() => document.querySelectorAll("#kyc-form label.invalid").length === 4, null, { timeout: WAIT });
    assert.match(await error("birthdate"), /Not a real date: use dd\/mm\/yyyy\s*INVALID_DATE/);
    assert.match(await error("estimated_participation_amount"), /Must be more than 0\s*NOT_POSITIVE/);
    assert.match(await error("ethereum_address"), /EIP-55 checksum does not match.*\s*BAD_CHECKSUM/);
    assert.match(await error("city"), /Required\s*REQUIRED/);
    assert.equal(await error("first_name"), "");
    // Submitting now sends nothing: the same validation blocks it.
    await page.click("#submit-kyc");
    assert.match(await text("#submit-note"), /Fix the 4 highlighted fields first/);
    await screenshot("kyc-errors");
  });

  await t.test("fixing the fields clears the errors", async () => {
    await page.fill("#kyc-form [name=birthdate]", "10/12/1985");
    await page.fill("#kyc-form [name=estimated_participation_amount]", "1.5");
    await page.fill("#kyc-form [name=ethereum_address]", "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed");
    await page.fill("#kyc-form [name=city]", "London");
    await page.waitForFunction(() => document.querySelectorAll("#kyc-form label.invalid").length === 0, null, { timeout: WAIT });
    assert.equal(await page.locator("#kyc-form label.valid").count(), 12);
    assert.equal((await text("#kyc-form")).includes("Required"), false);
    await screenshot("kyc-fixed");
  });

  await t.test("uploadFile refuses a file whose bytes are not what it claims, before sending anything", async () => {
    // A file the browser cannot draw shows a file-type tile, not broken-image alt text.
    const broken = path.join(path.dirname(files.pdf), "scan.png");
    writeFileSync(broken, "not an image at all");
    await page.setInputFiles("#file-document_id", broken);
    await page.waitForSelector('.doc[data-key="document_id"] .preview .filetype', { timeout: WAIT });
    assert.equal(await text('.doc[data-key="document_id"] .preview .filetype'), "PNG");
    await page.setInputFiles("#file-document_id", files.id);
    await page.setInputFiles("#file-selfie", files.fakeJpeg);
    await page.setInputFiles("#file-residence_proof", files.pdf);
    await page.waitForSelector('.doc[data-key="document_id"] .preview img');
    assert.equal(await text('.doc[data-key="residence_proof"] .preview .filetype.pdf'), "PDF");
    assert.match(await text('.doc[data-key="selfie"] .meta'), /selfie-renamed\.jpg · image\/jpeg/);
    await page.click("#submit-kyc");
    await page.waitForFunction(() => /upload failed/.test(document.querySelector("#submit-note").innerText), null, { timeout: WAIT });
    assert.match(await text('.doc[data-key="selfie"] .meta'), /INVALID_FILE: .*\(nothing was sent\)/);
    assert.match(await text("#submit-note"), /1 upload failed/);
    assert.equal(await page.locator("#kyc-result").isHidden(), true, "nothing was submitted");
    await screenshot("magic-bytes-refused");
  });

  await t.test("the documents upload with progress bars and previews, and the KYC is submitted", async () => {
    await page.setInputFiles("#file-selfie", files.selfie);
    await page.click("#submit-kyc");
    await page.waitForFunction(() => /KYC submitted/.test(document.querySelector("#kyc-result").innerText), null, { timeout: WAIT });
    assert.match(await text("#kyc-result"), /KYC submitted: submission #1, status pending/);
    for (const [key, type] of [["document_id", "image/jpeg"], ["selfie", "image/png"], ["residence_proof", "application/pdf"]]) {
      assert.match(await text(`.doc[data-key="${key}"] .meta`), new RegExp(`uploaded · bytes match ${type.replace("/", "\\/")} · HTTP 200`));
      const width = await page.locator(`.doc[data-key="${key}"] .bar i`).evaluate((i) => i.style.width);
      assert.equal(width, "100%", `${key} progress bar full`);
    }
    // The image previews now load the stored objects back from S3 (users-kyc-detail's pre-signed GET URLs).
    await page.waitForFunction(() => {
      const img = document.querySelector('.doc[data-key="document_id"] .preview img');
      return img && /X-Amz-Signature/.test(img.src) && img.complete && img.naturalWidth === 480;
    }, null, { timeout: WAIT });
    assert.match(await text("#explain"), /POST\s*\/api\/v2\/users-kyc\/\d+|GET\s*\/api\/v2\/users-kyc-detail\/\d+/);
    await delivery(/OST/, /kyc_submit/, /verified · 200/);
    // OST's sandbox review: AML pending -> cleared -> approved -> whitelisted, each a verified webhook.
    await page.waitForFunction(() => /whitelist_status\s*done/.test(document.querySelector("#ost-statuses").innerText), null, { timeout: WAIT });
    assert.match(await text("#ost-statuses"), /kyc_status\s*approved/);
    assert.match(await text("#ost-statuses"), /aml_status\s*cleared/);
    await screenshot("kyc-submitted");
  });

  await t.test("Verify with Token of Trust opens the sandbox's modal", async () => {
    // First make the demo server answer 503 to the next delivery, to watch the provider retry it.
    await page.click("#outage");
    await page.waitForSelector("#outage.armed", { timeout: WAIT });
    await page.click("#verify");
    await page.waitForSelector("#tot-modal-iframe", { timeout: WAIT });
    const frame = page.frameLocator("#tot-modal-iframe");
    await frame.locator("text=Hi Ada Lovelace, let's verify your identity").waitFor({ timeout: WAIT });
    assert.match(await frame.locator("#domain").innerText(), /for demo\.kyc-wasm\.local/);
    // Nothing is ticked before the user acts; "Add" ticks its line.
    const ticks = frame.locator("li .ok");
    assert.deepEqual(await ticks.evaluateAll((n) => n.map((x) => x.hidden)), [true, true]);
    await frame.locator("li:has-text('Government ID') .add").click();
    await frame.locator("li:has-text('Selfie') .add").click();
    assert.deepEqual(await ticks.evaluateAll((n) => n.map((x) => x.hidden)), [false, false]);
    assert.match(await text("#tot-note"), /The Token of Trust window is open/);
    await page.waitForSelector("#tot-modal [data-fitted]"); // the modal took the page's height
    await screenshot("tot-modal", { fullPage: false });
  });

  await t.test("submitting documents in the modal sends a webhook; a failed delivery is retried", async () => {
    const frame = page.frameLocator("#tot-modal-iframe");
    await frame.locator("#submit").click();
    await frame.locator("text=Documents submitted").waitFor({ timeout: WAIT });
    await delivery(/ToT/, /verification\.isSubmitted/, /503 · will be retried/);
    await delivery(/ToT/, /verification\.isSubmitted/, /verified · 200/, /Delivery attempt 2/);
    await page.waitForFunction(() => document.querySelector("#tot-status").innerText === "submitted", null, { timeout: WAIT });
    await screenshot("tot-submitted", { fullPage: false });
  });

  await t.test("Finish closes the modal, and the status panel turns cleared as webhooks arrive", async () => {
    await page.frameLocator("#tot-modal-iframe").locator("#finish").click();
    await page.waitForSelector("#tot-modal", { state: "detached", timeout: WAIT });
    await page.waitForFunction(() => document.querySelector("#headline").innerText === "cleared", null, { timeout: WAIT });
    await delivery(/ToT/, /verification\.isCleared/, /verified · 200/);
    assert.match(await text("#headline-note"), /Token of Trust: cleared · OST KYC: approved/);
    const gates = await page.locator("#gates .badge").evaluateAll((badges) => badges.map((b) => [b.innerText.replace(/\s+/g, " "), b.className]));
    const gate = (name) => gates.find(([t]) => t.startsWith(`${name} `));
    assert.deepEqual(gate("isCleared"), ["isCleared fullMatch", "badge pos"]);
    assert.deepEqual(gate("isSubmitted"), ["isSubmitted true", "badge pos"]);
    assert.deepEqual(gate("isRejected"), ["isRejected noMatch", "badge neg"]);
    await page.waitForFunction(() => /cleared your verification|has what it needs/.test(document.querySelector("#tot-result").innerText), null, { timeout: WAIT });
    assert.equal(await page.locator("#step-tot").getAttribute("data-state"), "done");
    await screenshot("cleared");
  });

  await t.test("tampered webhooks are rejected with 401 and change nothing", async () => {
    await page.selectOption("#tamper-provider", "ost");
    await page.click("#tamper");
    await delivery(/OST/, /kyc_status_update/, /✗ 401 INVALID_SIGNATURE/, /denied → approved after signing/);
    await page.selectOption("#tamper-provider", "tot");
    // The option names the event the inspector will show.
    assert.match(await page.locator("#tamper-provider option[value=tot]").innerText(), /verification\.isRejected/);
    await page.click("#tamper");
    await delivery(/ToT/, /verification\.isRejected/, /✗ 401 INVALID_SIGNATURE/, /isCleared noMatch → fullMatch after signing/);
    await page.locator("#deliveries li.entry.rejected summary").first().click();
    assert.match(await text("#deliveries li.entry.rejected >> nth=0"), /signature does not match/);
    assert.equal(await text("#headline"), "cleared");
    await screenshot("tampered-rejected");
  });

  await t.test("no secret ever reached the page, and the page threw nothing", async () => {
    const seen = [
      await page.content(),
      ...page.bodies,
      ...(await page.evaluate(() => window.__sse)),
    ].join("\n");
    assert.ok(seen.includes(SECRETS.ostApiKey), "the API key (public) is shown in the string to sign");
    for (const name of ["ostApiSecret", "ostWebhookSecret", "totSecretKey", "totWebhookSecret"]) {
      assert.equal(seen.includes(SECRETS[name]), false, `${name} reached the page`);
    }
    assert.deepEqual(page.errors.map(String), []);
  });

  await t.test("the inspector and an armed outage belong to the visitor; Start over resets them", async () => {
    await page.click("#outage");
    await page.waitForSelector("#outage.armed", { timeout: WAIT });
    // Another visitor (a fresh browser context: no session cookie) sees neither.
    const other = await browser.newPage({ viewport: { width: 1360, height: 900 } });
    try {
      await other.goto(demo.url);
      await other.waitForSelector("body[data-ready=true]", { timeout: WAIT });
      assert.match(await other.locator("#deliveries").innerText(), /No webhook received yet/);
      assert.equal(await other.locator("#outage.armed").count(), 0);
      assert.equal(await other.locator("#outage").isDisabled(), true);
    } finally {
      await other.close();
    }
    assert.ok((await page.locator("#deliveries li.entry").count()) > 5);
    await page.click("#reset");
    await page.waitForFunction(() => document.body.dataset.ready === "true" && document.querySelector("#headline").innerText === "not started", null, { timeout: WAIT });
    await page.waitForSelector("#live.on", { timeout: WAIT });
    assert.match(await text("#deliveries"), /No webhook received yet/);
    assert.equal(await page.locator("#outage.armed").count(), 0);
    assert.equal(await page.locator("#outage").isDisabled(), true);
    assert.deepEqual(page.errors.map(String), []);
  });
});
