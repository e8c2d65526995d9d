// The browser test page: loads the browser build and exposes `window.upload(spec)` to the test, which
// drives it with playwright. Each upload moves the progress bar, as an app's would (see the README).

import init, * as kyc from "/pkg/web/index.js";

await init();

const bar = document.getElementById("bar");
const percent = document.getElementById("percent");
const log = document.getElementById("log");
const line = (text, ok) => {
  const div = document.createElement("div");
  div.className = ok ? "ok" : "err";
  div.textContent = text;
  log.append(div);
};

/** A fixture document, made by the test server, as a File (what an <input type=file> gives). */
async function fixture({ kind, size, seed, name, type }) {
  const response = await fetch(`/fixture?kind=${kind}&size=${size}&seed=${seed ?? 1}`);
  if (!response.ok) throw new Error(`fixture: ${response.status}`);
  return new File([await response.blob()], name, { type });
}

/**
 * Parses `response` (an OST pre-signed URL response) and uploads the fixture to its first target.
 * `abortAt`: abort through an AbortController once this fraction of the file is sent.
 */
window.upload = async ({ response, files, file, options = {}, abortAt, now }) => {
  const events = [];
  const controller = new AbortController();
  bar.value = 0;
  percent.textContent = "0 %";
  try {
    const [target] = kyc.parseUploadTargets(response, { files, now });
    const document = await fixture(file);
    const uploaded = await kyc.uploadFile(target, document, {
      // The test servers are on http://127.0.0.1 (refused without this).
      allowInsecure: true,
      ...options,
      signal: controller.signal,
      onProgress: ({ loaded, total }) => {
        events.push({ loaded, total, at: performance.now() });
        bar.value = loaded / total;
        percent.textContent = `${Math.floor((100 * loaded) / total)} %`;
        if (abortAt !== undefined && loaded > 0 && loaded < total && loaded / total >= abortAt) controller.abort();
      },
    });
    line(`${uploaded.key}: ${document.name}, ${document.size} bytes, ${uploaded.method} ${uploaded.status}`, true);
    return { ok: true, uploaded, events, paths: kyc.kycFilePaths([uploaded]) };
  } catch (e) {
    line(`${e.code}: ${e.message}`, false);
    return {
      ok: false,
      error: { name: e.name, code: e.code, message: e.message, s3Code: e.s3Code, s3Message: e.s3Message, status: e.status, isKycError: kyc.isKycError(e) },
      events,
    };
  }
};

/** Whether the browser decodes a fixture as an image (so the generated JPEG and PNG are real images). */
window.decodes = async (file) => {
  const bitmap = await createImageBitmap(await fixture(file));
  return { width: bitmap.width, height: bitmap.height };
};

window.ready = true;
