// The demo page. Everything provider-facing goes through kyc-wasm's browser build (pkg/web): live validation
// with validateKycSubmission, uploads with parseUploadTargets/uploadFile/kycFilePaths, the Token of Trust
// modal with loadTotEmbed/verifyPerson/onModalClose, and gate badges with reasonIsPositive. Secrets stay on
// the demo server; the page talks to it over /api/* and listens to /api/events (Server-Sent Events).

import init, {
  kycFilePaths,
  loadTotEmbed,
  onModalClose,
  parseUploadTargets,
  reasonIsPositive,
  uploadFile,
  validateKycSubmission,
  verifyPerson,
} from "/pkg/web/index.js";

await init();

const $ = (selector, root = document) => root.querySelector(selector);
const $$ = (selector, root = document) => [...root.querySelectorAll(selector)];
const el = (tag, props = {}, ...children) => {
  const node = Object.assign(document.createElement(tag), props);
  for (const c of children) if (c !== null && c !== undefined) node.append(c);
  return node;
};
const nowSeconds = () => Math.floor(Date.now() / 1000);
const kb = (n) => (n < 1024 ? `${n} B` : n < 1024 * 1024 ? `${(n / 1024).toFixed(1)} KB` : `${(n / 1024 / 1024).toFixed(1)} MB`);
const clock = (ms) => new Date(ms).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit", second: "2-digit", hour12: false });

async function call(path, body) {
  const response = await fetch(path, {
    method: body === undefined ? "GET" : "POST",
    headers: body === undefined ? {} : { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = await response.json().catch(() => ({}));
  if (!response.ok) {
    const error = json.error ?? {};
    throw Object.assign(new Error(error.message ?? `HTTP ${response.status}`), error, { status: response.status });
  }
  return json;
}

const config = await call("/api/config");
const page = { user: null, fields: null, documents: null, ost: null, tot: null, requests: [], shown: 0, verifyStarted: false };

// ---------------------------------------------------------------- steps

function setStep(id, state) {
  $(`#step-${id}`).dataset.state = state;
}

function refreshSteps() {
  const submitted = Boolean(page.fields);
  setStep("signup", page.user ? "done" : "active");
  setStep("details", !page.user ? "locked" : submitted ? "done" : "active");
  setStep("documents", !page.user ? "locked" : submitted ? "done" : "active");
  const cleared = page.tot?.status === "cleared";
  setStep("tot", !submitted ? "locked" : cleared ? "done" : "active");
  $("#submit-kyc").disabled = !page.user;
  // The tampered webhook and the outage act on the visitor's user: nothing to show before signing up.
  for (const id of ["#tamper", "#outage", "#tamper-provider"]) $(id).disabled = !page.user;
  $("#inspector-hint").hidden = Boolean(page.user);
}

function showResult(id, text, kind = "") {
  const node = $(`#${id}`);
  node.hidden = !text;
  node.className = `result ${kind}`;
  node.textContent = text ?? "";
}

// ---------------------------------------------------------------- 1. sign up

$("#signup-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const email = $("#email").value.trim();
  $("#signup").disabled = true;
  try {
    const { user, existing } = await call("/api/signup", { email });
    page.user = user;
    page.fields = null;
    page.tot = null;
    page.ost = null;
    showResult("signup-result", `${existing ? "Welcome back" : "Signed up"}: ${user.email} is OST user #${user.id}.`);
    refreshSteps();
    renderStatus();
    $("#kyc-form [name=first_name]").focus();
  } catch (e) {
    showResult("signup-result", e.message, "bad");
  } finally {
    $("#signup").disabled = false;
  }
});

// ---------------------------------------------------------------- 2. details, validated live

const FRIENDLY = {
  REQUIRED: "Required",
  EMPTY: "Can't be blank",
  NOT_A_STRING: "Must be text",
  INVALID_DATE: "Not a real date: use dd/mm/yyyy",
  DATE_NOT_IN_PAST: "Must be a date in the past",
  INVALID_ADDRESS: "0x followed by 40 hexadecimal digits",
  BAD_CHECKSUM: "Mixed case, but the EIP-55 checksum does not match: a typo?",
  NOT_A_NUMBER: "Not a number",
  NOT_POSITIVE: "Must be more than 0",
};
const touched = new Set();

function textFields() {
  const out = {};
  for (const input of $$("#kyc-form input")) out[input.name] = input.value.trim();
  return out;
}

/** Runs validateKycSubmission and shows the problems of touched fields (all of them with `all`). */
function validate(all = false) {
  const problems = validateKycSubmission(textFields(), { required: config.textFields, now: nowSeconds() });
  const byField = new Map();
  for (const p of problems) if (!byField.has(p.field)) byField.set(p.field, p);
  for (const label of $$("#kyc-form label[data-field]")) {
    const field = label.dataset.field;
    const shown = all || touched.has(field);
    const problem = byField.get(field);
    const err = $(".err", label);
    err.replaceChildren();
    label.classList.toggle("invalid", Boolean(shown && problem));
    label.classList.toggle("valid", Boolean(shown && !problem));
    if (shown && problem) err.append(FRIENDLY[problem.code] ?? problem.message, el("code", { textContent: problem.code, title: problem.message }));
  }
  return problems;
}

for (const input of $$("#kyc-form input")) {
  input.addEventListener("input", () => validate());
  input.addEventListener("blur", () => {
    if (input.value.trim() !== "" || touched.has(input.name)) touched.add(input.name);
    validate();
  });
}

const SAMPLE = {
  first_name: "Ada",
  last_name: "Lovelace",
  birthdate: "10/12/1985",
  nationality: "BRITISH",
  document_id_number: "P1234567",
  country: "UNITED KINGDOM",
  street_address: "12 St James's Square",
  city: "London",
  state: "Greater London",
  postal_code: "SW1Y 4JH",
  estimated_participation_amount: "1.5",
  ethereum_address: "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed",
};

function fillForm(values) {
  for (const [name, value] of Object.entries(values)) {
    const input = $(`#kyc-form [name=${name}]`);
    if (input && value !== undefined && value !== null) {
      input.value = String(value);
      touched.add(name);
    }
  }
  validate();
}

$("#sample-details").addEventListener("click", () => fillForm(SAMPLE));

// ---------------------------------------------------------------- 3. documents

const SLOTS = {
  document_id: ["image/jpeg", "image/png", "application/pdf"],
  selfie: ["image/jpeg", "image/png"],
  residence_proof: ["application/pdf", "image/jpeg", "image/png"],
};
const previews = new Map();
const icons = new Map(Object.keys(SLOTS).map((k) => [k, $(`.doc[data-key="${k}"] .preview`).innerHTML]));

function docCard(key) {
  return $(`.doc[data-key="${key}"]`);
}

function setMeta(key, text, kind = "") {
  const meta = $(".meta", docCard(key));
  meta.className = `meta ${kind}`;
  meta.textContent = text;
}

function setProgress(key, fraction) {
  $(".bar i", docCard(key)).style.width = `${Math.round(fraction * 100)}%`;
}

function showPreview(key, file) {
  const box = $(".preview", docCard(key));
  if (previews.has(key)) URL.revokeObjectURL(previews.get(key));
  previews.delete(key);
  if (!file) {
    box.innerHTML = icons.get(key);
    return;
  }
  if (file.type.startsWith("image/")) {
    const url = URL.createObjectURL(file);
    previews.set(key, url);
    box.replaceChildren(imageOrTile(url, `${key} preview`, fileLabel(file.name, file.type)));
  } else {
    box.replaceChildren(fileTile(fileLabel(file.name, file.type)));
  }
}

/** "PDF", "PNG", "HEIC"…: what a file is, from its type, else its name. */
function fileLabel(name, type) {
  const sub = (type ?? "").split("/")[1]?.split(/[+;]/)[0];
  const ext = /\.([a-z0-9]{1,5})$/i.exec(name ?? "")?.[1];
  return (sub && sub !== "octet-stream" ? sub : ext ?? "file").slice(0, 5).toUpperCase();
}

/** A file-type tile, for a document that is not an image (or an image the browser cannot show). */
function fileTile(label) {
  return el("span", { className: `filetype ${label === "PDF" ? "pdf" : ""}`, textContent: label });
}

/** An <img> that turns into a file-type tile instead of showing broken-image alt text. */
function imageOrTile(src, alt, label) {
  const img = el("img", { src, alt });
  img.addEventListener("error", () => img.replaceWith(fileTile(label)), { once: true });
  return img;
}

function onFile(key) {
  const input = $(`#file-${key}`);
  const file = input.files?.[0] ?? null;
  const card = docCard(key);
  card.classList.toggle("chosen", Boolean(file));
  card.classList.remove("bad", "uploaded");
  setProgress(key, 0);
  showPreview(key, file);
  if (!file) return setMeta(key, "");
  const type = file.type.toLowerCase();
  if (!SLOTS[key].includes(type)) {
    card.classList.add("bad");
    return setMeta(key, `${file.name}: ${type || "unknown type"} is not accepted here`, "bad");
  }
  setMeta(key, `${file.name} · ${type} · ${kb(file.size)}`);
}

for (const key of Object.keys(SLOTS)) $(`#file-${key}`).addEventListener("change", () => onFile(key));

function setFile(key, file) {
  const transfer = new DataTransfer();
  transfer.items.add(file);
  const input = $(`#file-${key}`);
  input.files = transfer.files;
  input.dispatchEvent(new Event("change"));
}

// Sample documents drawn on a canvas, so the walkthrough needs nothing from your disk.
function canvasFile(width, height, draw, type, name) {
  const canvas = el("canvas", { width, height });
  draw(canvas.getContext("2d"), width, height);
  return new Promise((resolve) => canvas.toBlob((blob) => resolve(new File([blob], name, { type })), type, 0.9));
}

function samplePdf(lines) {
  const text = lines.map((l, i) => `BT /F1 ${i === 0 ? 18 : 12} Tf 56 ${760 - i * 26} Td (${l.replace(/[()\\]/g, "\\$&")}) Tj ET`).join("\n");
  const objects = [
    "<< /Type /Catalog /Pages 2 0 R >>",
    "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
    "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
    "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    `<< /Length ${text.length} >>\nstream\n${text}\nendstream`,
  ];
  let out = "%PDF-1.4\n";
  const offsets = [];
  objects.forEach((body, i) => {
    offsets.push(out.length);
    out += `${i + 1} 0 obj\n${body}\nendobj\n`;
  });
  const xref = out.length;
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, "0")} 00000 n \n`).join("")}`;
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return new File([out], "proof-of-residence.pdf", { type: "application/pdf" });
}

$("#sample-docs").addEventListener("click", async () => {
  const f = { ...SAMPLE, ...Object.fromEntries(Object.entries(textFields()).filter(([, v]) => v)) };
  const name = `${f.first_name} ${f.last_name}`.toUpperCase();
  const id = await canvasFile(640, 400, (g, w, h) => {
    const grad = g.createLinearGradient(0, 0, w, h);
    grad.addColorStop(0, "#e0e7ff");
    grad.addColorStop(1, "#ccfbf1");
    g.fillStyle = grad;
    g.fillRect(0, 0, w, h);
    g.fillStyle = "#4338ca";
    g.fillRect(0, 0, w, 64);
    g.fillStyle = "#fff";
    g.font = "bold 26px sans-serif";
    g.fillText("IDENTITY CARD · SANDBOX", 28, 42);
    g.fillStyle = "#cbd5e1";
    g.fillRect(32, 96, 170, 210);
    g.fillStyle = "#64748b";
    g.beginPath();
    g.arc(117, 170, 42, 0, Math.PI * 2);
    g.fill();
    g.fillRect(62, 230, 110, 76);
    g.fillStyle = "#0f172a";
    g.font = "bold 24px sans-serif";
    g.fillText(name, 232, 130);
    g.font = "18px monospace";
    g.fillText(`No ${f.document_id_number}`, 232, 172);
    g.fillText(`Born ${f.birthdate}`, 232, 204);
    g.fillText(f.nationality, 232, 236);
    g.font = "16px monospace";
    g.fillStyle = "#475569";
    g.fillText(`IDGBR${f.document_id_number}<<<<<<<<<<<<<<<<<<`, 32, 350);
  }, "image/jpeg", "id-card.jpg");
  const selfie = await canvasFile(360, 360, (g, w, h) => {
    const grad = g.createRadialGradient(w / 2, h / 3, 20, w / 2, h / 2, w);
    grad.addColorStop(0, "#fde68a");
    grad.addColorStop(1, "#f59e0b");
    g.fillStyle = grad;
    g.fillRect(0, 0, w, h);
    g.fillStyle = "#7c2d12";
    g.beginPath();
    g.arc(w / 2, h * 0.42, 86, Math.PI, 0);
    g.fill();
    g.fillStyle = "#fcd9b8";
    g.beginPath();
    g.arc(w / 2, h * 0.47, 72, 0, Math.PI * 2);
    g.fill();
    g.fillStyle = "#1f2937";
    for (const x of [-26, 26]) {
      g.beginPath();
      g.arc(w / 2 + x, h * 0.45, 7, 0, Math.PI * 2);
      g.fill();
    }
    g.strokeStyle = "#9a3412";
    g.lineWidth = 5;
    g.beginPath();
    g.arc(w / 2, h * 0.5, 30, 0.15 * Math.PI, 0.85 * Math.PI);
    g.stroke();
    g.fillStyle = "#4f46e5";
    g.fillRect(w / 2 - 110, h * 0.7, 220, 140);
  }, "image/png", "selfie.png");
  setFile("document_id", id);
  setFile("selfie", selfie);
  setFile("residence_proof", samplePdf([
    "Utility bill (sandbox sample)",
    `${f.first_name} ${f.last_name}`,
    f.street_address,
    `${f.city} ${f.postal_code}`,
    f.country,
    `Issued ${new Date().toISOString().slice(0, 10)}`,
  ]));
});

async function submitKyc() {
  const note = $("#submit-note");
  showResult("kyc-result", null);
  for (const input of $$("#kyc-form input")) touched.add(input.name);
  const problems = validate(true);
  const chosen = Object.fromEntries(Object.keys(SLOTS).map((k) => [k, $(`#file-${k}`).files?.[0] ?? null]).filter(([, f]) => f));
  if (problems.length) {
    note.textContent = `Fix ${problems.length === 1 ? "the highlighted field" : `the ${problems.length} highlighted fields`} first.`;
    $(`#kyc-form label[data-field="${problems[0].field}"] input`)?.focus();
    return;
  }
  if (!chosen.document_id || !chosen.selfie) {
    note.textContent = "Choose a government ID and a selfie (or use the sample documents).";
    return;
  }
  const bad = Object.entries(chosen).find(([k, f]) => !SLOTS[k].includes(f.type.toLowerCase()));
  if (bad) {
    note.textContent = "One of the files has a type that is not accepted.";
    return;
  }
  const button = $("#submit-kyc");
  button.disabled = true;
  try {
    // 1. Pre-signed PUT URLs, requested by the server (it signs the OST call with the API secret).
    note.textContent = "Requesting pre-signed upload URLs…";
    const files = Object.fromEntries(Object.entries(chosen).map(([k, f]) => [k, f.type.toLowerCase()]));
    const response = await call("/api/uploads", { files });
    const targets = parseUploadTargets(response, { now: nowSeconds(), files });

    // 2. Straight to S3, with progress; uploadFile refuses a bad file before sending anything.
    note.textContent = `Uploading ${targets.length} file${targets.length === 1 ? "" : "s"} to S3…`;
    const results = await Promise.allSettled(
      targets.map(async (target) => {
        const file = chosen[target.key];
        const card = docCard(target.key);
        card.classList.remove("bad", "uploaded");
        setMeta(target.key, `Uploading ${kb(file.size)}…`);
        try {
          const done = await uploadFile(target, file, {
            minBytes: config.minBytes,
            // The demo's S3 is the local sandbox on http://127.0.0.1; anywhere else, https only.
            allowInsecure: ["127.0.0.1", "localhost", "[::1]"].includes(new URL(target.url).hostname),
            now: nowSeconds(),
            onProgress: ({ loaded, total }) => {
              setProgress(target.key, total ? loaded / total : 1);
              setMeta(target.key, `Uploading ${kb(loaded)} / ${kb(total)}`);
            },
          });
          setProgress(target.key, 1);
          card.classList.add("uploaded");
          setMeta(target.key, `✓ ${kb(file.size)} uploaded · bytes match ${done.contentType} · HTTP ${done.status}`, "ok");
          return done;
        } catch (e) {
          card.classList.add("bad");
          setProgress(target.key, 0);
          setMeta(target.key, `${e.code ?? "ERROR"}: ${e.message}${e.code === "INVALID_FILE" || e.code === "URL_EXPIRED" ? " (nothing was sent)" : ""}`, "bad");
          throw e;
        }
      }),
    );
    const failed = results.filter((r) => r.status === "rejected");
    if (failed.length) {
      note.textContent = `${failed.length} upload${failed.length === 1 ? "" : "s"} failed: see the documents above.`;
      return;
    }
    const uploaded = results.map((r) => r.value);

    // 3. The KYC submission: the text fields plus the uploaded files' paths.
    note.textContent = "Submitting KYC to OST…";
    const fields = { ...textFields(), ...kycFilePaths(uploaded) };
    const { userKyc, documents } = await call("/api/kyc", { fields });
    page.fields = textFields();
    page.documents = documents;
    showStoredDocuments(documents);
    note.textContent = "";
    showResult(
      "kyc-result",
      `KYC submitted: submission #${userKyc.submission_count}, status ${userKyc.kyc_status}. OST's review arrives by webhook; carry on with Token of Trust.`,
    );
    refreshSteps();
    $("#verify").focus();
  } catch (e) {
    note.textContent = "";
    const details = (e.problems ?? e.errorData ?? []).map((p) => `${p.field ?? p.parameter}: ${p.message ?? p.msg}`).join("; ");
    showResult("kyc-result", `${e.code ? `${e.code}: ` : ""}${e.message}${details ? ` (${details})` : ""}`, "bad");
  } finally {
    button.disabled = false;
  }
}

$("#submit-kyc").addEventListener("click", submitKyc);

function showStoredDocuments(documents) {
  if (!documents) return;
  const keys = { document_id_file: "document_id", selfie_file: "selfie", residence_proof_file: "residence_proof" };
  for (const [field, url] of Object.entries(documents)) {
    const key = keys[field];
    if (!key) continue;
    const card = docCard(key);
    const img = $(".preview img", card);
    // Read back from S3 through OST's users-kyc-detail URL (pre-signed GET): the stored bytes, not the local file.
    // A stored PDF (or anything the browser cannot draw) falls back to the file-type tile.
    if (img) img.replaceWith(imageOrTile(url, img.alt, "FILE"));
    card.classList.add("chosen", "uploaded");
    setProgress(key, 1);
    const meta = $(".meta", card);
    if (!meta.textContent) setMeta(key, "✓ stored in S3", "ok");
    meta.append(" · ", el("a", { href: url, target: "_blank", rel: "noopener", textContent: "open from S3" }));
  }
}

// ---------------------------------------------------------------- 4. Token of Trust

loadTotEmbed({ host: config.totHost, apiKey: config.totPublicKey });

async function verify({ autoOpen }) {
  const button = $("#verify");
  const note = $("#tot-note");
  button.disabled = true;
  note.textContent = autoOpen ? "Asking Token of Trust…" : "Checking with Token of Trust…";
  try {
    const decision = await verifyPerson({ url: "/api/verify-person", body: {}, autoOpen });
    if (decision.action === "continue") {
      note.textContent = autoOpen ? "The Token of Trust window is open: submit your documents there, then Finish." : "";
      if (!autoOpen) showResult("tot-result", "Token of Trust needs more from you: verify again.", "info");
    } else if (decision.action === "verified") {
      note.textContent = "";
      page.verifyStarted = true;
      showTotOutcome();
    } else {
      note.textContent = "";
      showResult("tot-result", `${decision.error?.code}: ${decision.error?.message}`, "bad");
    }
    return decision;
  } catch (e) {
    note.textContent = "";
    showResult("tot-result", `${e.code ?? "ERROR"}: ${e.message}`, "bad");
    return null;
  } finally {
    button.disabled = false;
  }
}

/** What the last verification came to, from the status the webhooks reported. */
function showTotOutcome() {
  const outcome = {
    cleared: ["Token of Trust cleared your verification.", ""],
    rejected: ["Token of Trust rejected this verification: you can try again.", "bad"],
    updateRequested: ["The reviewer asked for an update: verify again.", "info"],
  }[page.tot?.status] ?? ["Token of Trust has what it needs; the reviewer's decision arrives by webhook.", ""];
  showResult("tot-result", ...outcome);
}

$("#verify").addEventListener("click", () => verify({ autoOpen: true }));
onModalClose(({ continue: proceed }) => {
  if (proceed) verify({ autoOpen: false });
  else $("#tot-note").textContent = "The Token of Trust window was closed before the end.";
});

// ---------------------------------------------------------------- status panel

const POSITIVE_OST = ["approved", "cleared", "qualified", "done", "cleared:approved"];
const NEGATIVE_OST = ["denied", "rejected", "failed"];
const WAITING_OST = ["pending", "started"];
const ostKind = (v) => (POSITIVE_OST.includes(v) ? "pos" : NEGATIVE_OST.includes(v) ? "neg" : WAITING_OST.includes(v) ? "wait" : "neutral");
const TOT_KIND = { cleared: "pos", rejected: "neg", submitted: "wait", updateRequested: "wait", pending: "neutral" };
const TOT_WORDS = { cleared: "cleared", rejected: "rejected", submitted: "submitted", updateRequested: "update requested", pending: "pending" };

function reasonText(value) {
  if (value && typeof value === "object") return String(value.value ?? value.status ?? JSON.stringify(value));
  return String(value);
}

function badge(name, value, kind) {
  return el("span", { className: `badge ${kind}`, title: `${name}: ${JSON.stringify(value)}` }, el("b", { textContent: name }), el("span", { textContent: value }));
}

function flash(node) {
  node.classList.remove("flash");
  void node.offsetWidth;
  node.classList.add("flash");
}

let lastRendered = "";

function renderStatus() {
  const key = JSON.stringify([page.tot, page.ost]);
  const changed = key !== lastRendered;
  lastRendered = key;

  const tot = page.tot;
  const totPill = $("#tot-status");
  totPill.className = `pill ${tot ? TOT_KIND[tot.status] ?? "neutral" : "neutral"}`;
  totPill.textContent = tot ? TOT_WORDS[tot.status] ?? tot.status : "no webhook yet";
  const gates = $("#gates");
  if (tot?.gates && Object.keys(tot.gates).length) {
    gates.replaceChildren(
      ...Object.entries(tot.gates).map(([gate, value]) => badge(gate, reasonText(value), reasonIsPositive(value) ? "pos" : "neg")),
    );
  } else {
    gates.replaceChildren(el("span", { className: "empty", textContent: "Gates appear with the first Token of Trust webhook." }));
  }

  const ost = page.ost;
  const statuses = $("#ost-statuses");
  $("#ost-event").textContent = ost?.event ? `last event: ${ost.event}` : "";
  if (ost?.kyc_status) {
    statuses.replaceChildren(
      ...["kyc_status", "aml_status", "admin_status", "whitelist_status"].map((s) => badge(s, ost[s], ostKind(ost[s]))),
      badge("submission", `#${ost.submission_count}`, "neutral"),
    );
  } else {
    statuses.replaceChildren(el("span", { className: "empty", textContent: page.user ? "Waiting for the KYC submission's webhook." : "Statuses appear with the first KYC webhook." }));
  }

  const headline = $("#headline");
  const note = $("#headline-note");
  if (tot) {
    headline.className = `pill ${TOT_KIND[tot.status] ?? "neutral"}`;
    headline.textContent = TOT_WORDS[tot.status] ?? tot.status;
  } else if (ost?.kyc_status) {
    headline.className = `pill ${ostKind(ost.kyc_status)}`;
    headline.textContent = ost.kyc_status === "pending" ? "in review" : ost.kyc_status;
  } else {
    headline.className = "pill neutral";
    headline.textContent = page.user ? "signed up" : "not started";
  }
  const parts = [];
  if (tot) parts.push(`Token of Trust: ${TOT_WORDS[tot.status] ?? tot.status}`);
  if (ost?.kyc_status) parts.push(`OST KYC: ${ost.kyc_status}`);
  note.textContent = parts.join(" · ");
  if (changed) flash($("#status"));
  if (tot && page.verifyStarted) showTotOutcome();
  $("#verify").textContent = tot && ["rejected", "updateRequested"].includes(tot.status) ? "Verify again with Token of Trust" : "Verify with Token of Trust";
  refreshSteps();
}

// ---------------------------------------------------------------- webhook inspector

const RESULT = {
  verified: ["pos", (e) => `✓ verified · ${e.status}`],
  duplicate: ["neutral", (e) => `duplicate · ${e.status}`],
  outOfOrder: ["wait", (e) => `out of order · ${e.status}`],
  rejected: ["neg", (e) => `✗ ${e.status} ${e.error?.code ?? ""}`],
  outage: ["wait", (e) => `${e.status} · will be retried`],
};

function describe(entry) {
  const ev = entry.event;
  if (entry.provider === "ost") {
    const name = ev?.name ?? entry.claimed?.name ?? "?";
    return `${name} #${ev?.id ?? entry.claimed?.id ?? "?"}`;
  }
  return ev?.name ?? entry.claimed?.name ?? "?";
}

function deliveryItem(entry) {
  const [kind, label] = RESULT[entry.result] ?? ["neutral", () => entry.result];
  const summary = el(
    "summary",
    {},
    el("span", { className: `prov ${entry.provider}`, textContent: entry.provider === "ost" ? "OST" : "ToT" }),
    el("span", { className: "time", textContent: clock(entry.at) }),
    el(
      "span",
      { className: "ev" },
      describe(entry),
      entry.attempt > 1 ? el("span", { className: "tag", textContent: `attempt ${entry.attempt}` }) : null,
      entry.tampered ? el("span", { className: "tag bad", textContent: "tampered" }) : null,
    ),
    el("span", { className: `pill ${kind}`, textContent: label(entry) }),
  );
  const why = el("div", { className: "why" });
  if (entry.result === "rejected") {
    why.append(el("b", { textContent: "Rejected" }), `: ${entry.error?.message ?? ""}`);
    if (entry.tampered) why.append(el("br"), `Tampered on purpose: ${entry.tampered} after signing.`);
  } else if (entry.result === "outage") {
    why.append(entry.error?.message ?? "");
  } else if (entry.event) {
    const ev = entry.event;
    if (entry.provider === "tot") why.append(`status ${ev.status} · operation ${ev.operation} · ${ev.appUserId?.slice(0, 12)}…`);
    else if (ev.data?.user_kyc) why.append(`kyc_status ${ev.data.user_kyc.kyc_status} · aml_status ${ev.data.user_kyc.aml_status} · source ${ev.source}`);
    else why.append(`${ev.description ?? ""} · source ${ev.source}`);
  } else if (entry.result !== "verified") {
    why.append(entry.result === "duplicate" ? "Already processed (same event id): answered 200, not processed again." : "Older than the last event for this user: answered 200, not processed.");
  }
  if (entry.attempt > 1) why.append(el("br"), `Delivery attempt ${entry.attempt}: the provider retried after a failure.`);
  const pre = el("pre", { textContent: entry.event ? JSON.stringify(entry.event, null, 2) : entry.body });
  return el("li", { className: `entry ${entry.result}` }, el("details", {}, summary, why, pre));
}

function addDelivery(entry, animate = true) {
  const list = $("#deliveries");
  $(".empty", list)?.remove();
  const item = deliveryItem(entry);
  list.prepend(item);
  if (animate) flash(item);
}

$("#tamper").addEventListener("click", async () => {
  const button = $("#tamper");
  button.disabled = true;
  try {
    await call("/api/tamper", { provider: $("#tamper-provider").value });
  } catch (e) {
    showResult("signup-result", e.message, "bad");
  } finally {
    button.disabled = !page.user;
  }
});

$("#outage").addEventListener("click", () => call("/api/outage", { count: 1 }).catch((e) => showResult("signup-result", e.message, "bad")));

function renderOutage(count) {
  const button = $("#outage");
  button.classList.toggle("armed", count > 0);
  button.textContent = count > 0 ? "Armed: the next delivery gets a 503" : "Fail the next delivery";
}

// ---------------------------------------------------------------- explanation

function addRequest(r) {
  page.requests = [...page.requests, r].slice(-6);
  page.shown = page.requests.length - 1;
  renderExplain();
}

function renderExplain() {
  const body = $("#explain-body");
  const r = page.requests[page.shown];
  if (!r) return;
  const history = el(
    "div",
    { className: "history" },
    ...page.requests.map((q, i) =>
      el("button", {
        type: "button",
        className: i === page.shown ? "on" : "",
        textContent: `${q.method} ${q.path.replace("/api/v2/", "").replace(/\/\d+$/, "/:id").replace("users-kyc/pre-signed-urls/", "")}`,
        title: `${q.method} ${q.path} at ${clock(q.at)}`,
        onclick: () => {
          page.shown = i;
          renderExplain();
        },
      }),
    ),
  );
  const [endpoint, query = ""] = r.stringToSign.split("?");
  const pairs = query ? query.split("&") : [];
  const sts = el("div", { className: "sts" }, el("span", { className: "ep", textContent: endpoint }), "?");
  pairs.forEach((pair, i) => {
    if (i) sts.append(el("span", { className: "amp", textContent: "&" }));
    const [k, v = ""] = pair.split("=");
    sts.append(el("span", { className: "k", textContent: k }), `=${v}`);
  });
  const decode = (s) => decodeURIComponent(s.replace(/\+/g, " "));
  const table = el(
    "table",
    { className: "params" },
    ...pairs.map((pair) => {
      const [k, v = ""] = pair.split("=");
      return el("tr", {}, el("td", { textContent: decode(k) }), el("td", { textContent: decode(v) }));
    }),
  );
  const agree = r.serverStringToSign === r.stringToSign;
  body.replaceChildren(
    history,
    el("div", { className: "req" }, el("b", { textContent: r.method }), r.path, " ", el("span", { className: `pill ${r.status < 300 ? "pos" : "neg"}`, textContent: `HTTP ${r.status}` })),
    el("p", { className: "formula", textContent: "The string to sign: the endpoint, then every parameter in Rails to_query order (api_key and request_timestamp included)." }),
    sts,
    table,
    el("p", { className: "formula" }, "signature = ", el("code", { textContent: "HMAC-SHA256(apiSecret, string to sign)" })),
    el("div", { className: "sig", textContent: r.signature ?? "" }),
    el(
      "div",
      { className: `agree ${agree ? "" : "bad"}` },
      agree
        ? "✓ The OST sandbox rebuilt the same string from the parameters it received, so the signatures match."
        : "✗ The sandbox rebuilt a different string.",
    ),
    el("p", { className: "secret-note", textContent: "The API secret stays on the demo server: this page only ever sees the result." }),
  );
}

// ---------------------------------------------------------------- live updates

function apply(state) {
  page.user = state.user ?? page.user;
  page.ost = state.ost ?? page.ost;
  page.tot = state.tot ?? page.tot;
  if (state.fields) page.fields = state.fields;
  if (state.documents) page.documents = state.documents;
  if (state.ostRequests?.length) {
    page.requests = state.ostRequests;
    page.shown = page.requests.length - 1;
    renderExplain();
  }
  renderStatus();
}

function resume(state) {
  if (state.user) {
    $("#email").value = state.user.email;
    showResult("signup-result", `Signed up: ${state.user.email} is OST user #${state.user.id}.`);
  }
  if (state.fields) {
    fillForm(state.fields);
    showResult("kyc-result", "KYC submitted.");
    showStoredDocuments(state.documents);
  }
  if (state.tot) page.verifyStarted = true;
}

const live = $("#live");
let first = true;
const events = new EventSource("/api/events");
events.addEventListener("hello", (e) => {
  const state = JSON.parse(e.data);
  if (first) resume(state);
  first = false;
  apply(state);
  $("#deliveries").replaceChildren();
  if (!state.inspector.length) $("#deliveries").append(el("li", { className: "empty", textContent: "No webhook received yet." }));
  for (const entry of state.inspector) addDelivery(entry, false);
  renderOutage(state.outage ?? 0);
});
events.addEventListener("state", (e) => apply(JSON.parse(e.data)));
events.addEventListener("webhook", (e) => addDelivery(JSON.parse(e.data)));
events.addEventListener("ostRequest", (e) => addRequest(JSON.parse(e.data)));
events.addEventListener("outage", (e) => renderOutage(JSON.parse(e.data).count));
events.addEventListener("open", () => {
  live.className = "live on";
  live.textContent = "live";
});
events.addEventListener("error", () => {
  live.className = "live";
  live.textContent = "reconnecting…";
});

$("#reset").addEventListener("click", async () => {
  await call("/api/reset", {});
  location.reload();
});

$("#endpoints").textContent = `OST sandbox ${config.ostBaseUrl} · Token of Trust sandbox ${config.totHost} · S3 store ${config.s3Origin}`;
refreshSteps();
renderStatus();
document.body.dataset.ready = "true";
