// PortraitCL studio: the page's logic. Talks to the JSON API of `portrait serve` (docs/studio.md).
"use strict";

const token = new URLSearchParams(location.search).get("token");
const $ = (id) => document.getElementById(id);
const state = { source: null, driver: null, face: null, faces: [], picture: null, renderJob: null, previewSeq: 0 };

// LivePortrait's --edit controls and their ranges (AdvancedLivePortrait's editor).
const controls = [
  ["pitch", -20, 20, 0.5], ["yaw", -20, 20, 0.5], ["roll", -20, 20, 0.5], ["blink", -20, 5, 0.5],
  ["eyebrow", -10, 15, 0.5], ["wink", 0, 25, 0.5], ["pupil_x", -15, 15, 0.5], ["pupil_y", -15, 15, 0.5],
  ["aaa", -30, 120, 1], ["eee", -20, 15, 0.5], ["woo", -20, 15, 0.5], ["smile", -0.3, 1.3, 0.01],
];

function withToken(url) {
  if (!token) return url;
  return url + (url.includes("?") ? "&" : "?") + "token=" + encodeURIComponent(token);
}

function showError(message) {
  const box = $("error");
  box.textContent = message;
  box.hidden = false;
}

function clearError() { $("error").hidden = true; }

async function api(path, options = {}) {
  const headers = Object.assign({}, options.headers || {});
  if (token) headers["Authorization"] = "Bearer " + token;
  let response;
  try {
    response = await fetch(path, Object.assign({}, options, { headers }));
  } catch (e) {
    throw new Error("the studio server did not answer (" + e.message + "); is `portrait serve` still running?");
  }
  const text = await response.text();
  let body = null;
  try { body = text ? JSON.parse(text) : null; } catch (e) { body = null; }
  if (!response.ok) throw new Error((body && body.error) || ("HTTP " + response.status));
  return body;
}

async function upload(file) {
  return api("/api/uploads", {
    method: "POST", body: file,
    headers: { "Content-Type": "application/octet-stream", "X-File-Name": encodeURIComponent(file.name) },
  });
}

function submit(request) {
  return api("/api/jobs", { method: "POST", body: JSON.stringify(request), headers: { "Content-Type": "application/json" } });
}

// Follows a job's server-sent events until it ends; resolves with its final snapshot.
function watch(job, onUpdate) {
  return new Promise((resolve) => {
    const source = new EventSource(withToken("/api/jobs/" + job.id + "/events"));
    source.onmessage = (event) => {
      const snapshot = JSON.parse(event.data);
      if (onUpdate) onUpdate(snapshot);
      if (["done", "failed", "cancelled"].includes(snapshot.state)) { source.close(); resolve(snapshot); }
    };
    source.onerror = async () => {
      // The stream ended or broke: ask once for the job's state.
      source.close();
      try {
        const snapshot = await api("/api/jobs/" + job.id);
        if (["done", "failed", "cancelled"].includes(snapshot.state)) { if (onUpdate) onUpdate(snapshot); resolve(snapshot); }
        else resolve(await watch(snapshot, onUpdate));
      } catch (e) { showError(e.message); resolve(job); }
    };
  });
}

// --- catalog ---------------------------------------------------------------------------------

async function loadCatalog() {
  const catalog = await api("/api/catalog");
  const config = $("config");
  config.innerHTML = "";
  for (const name of catalog.presets.concat(catalog.configs)) config.add(new Option(name, name));
  const weights = $("weights");
  weights.innerHTML = "";
  for (const name of catalog.weights) weights.add(new Option(name, name));
  weights.add(new Option("random weights (seed 1, untrained)", "random:1"));
  const device = $("device");
  device.innerHTML = "";
  for (const name of catalog.devices) device.add(new Option(name, name));
  fillAvatars(catalog.avatars);
}

function fillAvatars(avatars) {
  const select = $("avatar-select");
  const chosen = select.value;
  select.innerHTML = "";
  select.add(new Option("(none)", ""));
  for (const a of avatars) select.add(new Option(a.name + " (" + a.config + ")", a.id));
  select.value = chosen;
}

function modelFields() {
  const request = { config: $("config").value, device: $("device").value, crop: $("crop").value };
  const weights = $("weights").value;
  if (weights.startsWith("random:")) request.randomWeights = parseInt(weights.slice(7), 10);
  else request.weights = weights;
  return request;
}

function renderFields(kind) {
  const request = Object.assign({ kind }, modelFields());
  const avatar = $("avatar-select").value;
  if (avatar) request.avatar = avatar; else if (state.source) request.source = state.source.id;
  if (state.face !== null && !avatar) request.face = state.face;
  const edit = editValues();
  if (state.driver) request.driver = state.driver.id;
  else request.edit = Object.keys(edit).length > 0 ? edit : { smile: 0 };  // all zero: the source as it is
  request.absoluteMotion = $("absolute-motion").checked;
  request.stitching = $("stitching").checked;
  request.region = $("region").value;
  request.drivingMultiplier = parseFloat($("driving-multiplier").value || "1");
  const frames = parseInt($("frames").value, 10);
  if (kind === "render" && frames > 0) request.frames = frames;
  return request;
}

// --- source and faces ------------------------------------------------------------------------

function drawSource() {
  const canvas = $("source-canvas");
  const context = canvas.getContext("2d");
  context.clearRect(0, 0, canvas.width, canvas.height);
  if (!state.picture) return;
  const scale = Math.min(canvas.width / state.picture.width, canvas.height / state.picture.height);
  state.scale = scale;
  context.drawImage(state.picture, 0, 0, state.picture.width * scale, state.picture.height * scale);
  state.faces.forEach((face, i) => {
    const [x, y, w, h] = face.box.map((v) => v * scale);
    context.lineWidth = 2;
    context.strokeStyle = i === state.face ? "#19c37d" : "#f2b01e";
    context.strokeRect(x, y, w, h);
    context.fillStyle = context.strokeStyle;
    context.font = "bold 14px sans-serif";
    context.fillText(String(i), x + 3, y + 15);
  });
}

async function onSourceChosen() {
  const file = $("source-file").files[0];
  if (!file) return;
  clearError();
  $("face-status").textContent = "uploading…";
  try {
    state.source = await upload(file);
  } catch (e) {
    state.source = null;
    $("face-status").textContent = "";
    showError("Source: " + e.message);
    return;
  }
  $("avatar-select").value = "";
  $("save-avatar").disabled = false;
  state.face = null;
  state.faces = [];
  const picture = new Image();
  picture.onload = () => { state.picture = picture; drawSource(); };
  picture.src = withToken("/api/uploads/" + state.source.id);
  $("face-status").textContent = "looking for faces…";
  try {
    const job = await watch(await submit({ kind: "faces", source: state.source.id, device: $("device").value }));
    if (job.state !== "done") throw new Error(job.message || "finding faces " + job.state);
    state.faces = JSON.parse(job.result).faces || [];
    state.face = state.faces.length > 0 ? 0 : null;
    $("face-status").textContent = state.faces.length + " face" + (state.faces.length === 1 ? "" : "s") +
      " found" + (state.faces.length > 0 ? "; face 0 chosen (click another to choose it)" : "; the centre square will be used");
    drawSource();
    schedulePreview();
  } catch (e) {
    showError("Faces: " + e.message);
  }
}

function onCanvasClick(event) {
  if (!state.picture || !state.scale) return;
  const rect = event.target.getBoundingClientRect();
  const x = (event.clientX - rect.left) * (event.target.width / rect.width) / state.scale;
  const y = (event.clientY - rect.top) * (event.target.height / rect.height) / state.scale;
  const hit = state.faces.findIndex((f) => x >= f.box[0] && x <= f.box[0] + f.box[2] && y >= f.box[1] && y <= f.box[1] + f.box[3]);
  if (hit < 0) return;
  state.face = hit;
  $("face-status").textContent = "face " + hit + " chosen";
  drawSource();
  schedulePreview();
}

async function onSaveAvatar() {
  if (!state.source) return;
  clearError();
  $("avatar-status").textContent = "saving…";
  try {
    const request = Object.assign({ kind: "avatar", source: state.source.id }, modelFields());
    if (state.face !== null) request.face = state.face;
    const job = await watch(await submit(request));
    if (job.state !== "done") throw new Error(job.message || "the avatar job " + job.state);
    const catalog = await api("/api/catalog");
    fillAvatars(catalog.avatars);
    $("avatar-status").textContent = "saved";
  } catch (e) {
    $("avatar-status").textContent = "";
    showError("Avatar: " + e.message);
  }
}

// --- driver ----------------------------------------------------------------------------------

async function onDriverChosen() {
  const file = $("driver-file").files[0];
  if (!file) return;
  clearError();
  $("driver-status").textContent = "uploading…";
  try {
    state.driver = await upload(file);
    $("driver-status").textContent = "driver: " + state.driver.name + " (" + state.driver.kind + ", " + state.driver.bytes + " bytes)";
    schedulePreview();
  } catch (e) {
    state.driver = null;
    $("driver-status").textContent = "No driver.";
    showError("Driver: " + e.message);
  }
}

function clearDriver() {
  state.driver = null;
  $("driver-file").value = "";
  $("driver-status").textContent = "No driver: the expression sliders animate the source.";
  schedulePreview();
}

// --- sliders and preview ---------------------------------------------------------------------

function buildSliders() {
  const box = $("sliders");
  for (const [name, min, max, step] of controls) {
    const row = document.createElement("label");
    row.className = "slider";
    row.innerHTML = '<span>' + name + '</span><input type="range"><output>0</output>';
    const input = row.querySelector("input");
    Object.assign(input, { id: "edit-" + name, min, max, step, value: 0 });
    input.addEventListener("input", () => { row.querySelector("output").textContent = input.value; schedulePreview(); });
    box.appendChild(row);
  }
}

function editValues() {
  const edit = {};
  for (const [name] of controls) {
    const value = parseFloat($("edit-" + name).value);
    if (value !== 0) edit[name] = value;
  }
  return edit;
}

let previewTimer = null;
function schedulePreview() {
  clearTimeout(previewTimer);
  previewTimer = setTimeout(runPreview, 350);
}

async function runPreview() {
  if (!state.source && !$("avatar-select").value) return;
  const seq = ++state.previewSeq;
  $("preview-status").textContent = "rendering a preview…";
  try {
    const job = await watch(await submit(renderFields("preview")));
    if (seq !== state.previewSeq) return;  // a newer preview is on its way
    if (job.state !== "done") throw new Error(job.message || "the preview " + job.state);
    const img = $("preview-img");
    img.src = withToken("/api/jobs/" + job.id + "/output");
    img.hidden = false;
    const seconds = (job.elapsedSeconds || 0).toFixed(job.elapsedSeconds < 1 ? 2 : 1);
    $("preview-status").textContent = "preview ready (" + seconds + " s" + (job.sourceReused ? ", source reused" : "") + ")";
  } catch (e) {
    if (seq === state.previewSeq) { $("preview-status").textContent = ""; showError("Preview: " + e.message); }
  }
}

// --- render ----------------------------------------------------------------------------------

function clock(seconds) {
  if (seconds === null || seconds === undefined) return "?";
  const s = Math.round(seconds);
  return Math.floor(s / 60) + ":" + String(s % 60).padStart(2, "0");
}

function showProgress(job) {
  const total = job.framesTotal || 0;
  $("progress").max = Math.max(1, total);
  $("progress").value = job.state === "done" ? Math.max(1, total) : job.framesDone;
  const parts = [job.state];
  if (job.framesDone || total) parts.push((job.stage ? job.stage + " " : "") + job.framesDone + (total ? "/" + total : "") + " frames");
  if (job.fps) parts.push(job.fps.toFixed(2) + " fps");
  if (job.state === "running" && job.etaSeconds !== null && job.etaSeconds !== undefined) parts.push("ETA " + clock(job.etaSeconds));
  if (job.message) parts.push(job.message);
  $("progress-text").textContent = parts.join(" · ");
}

async function onRender() {
  clearError();
  $("result").hidden = true;
  try {
    const job = await submit(renderFields("render"));
    state.renderJob = job.id;
    $("cancel-btn").disabled = false;
    $("render-btn").disabled = true;
    showProgress(job);
    const final = await watch(job, showProgress);
    finishRender(final);
  } catch (e) {
    showError("Render: " + e.message);
    $("render-btn").disabled = false;
  }
}

function finishRender(job) {
  $("cancel-btn").disabled = true;
  $("render-btn").disabled = false;
  showProgress(job);
  if (job.state !== "done") {
    if (job.state === "failed") showError("Render: " + (job.message || "failed"));
    return;
  }
  const url = withToken("/api/jobs/" + job.id + "/output");
  const video = job.outputType === "video/mp4";
  $("result-video").hidden = !video;
  $("result-img").hidden = video;
  if (video) $("result-video").src = url; else $("result-img").src = url;
  $("download-link").href = withToken("/api/jobs/" + job.id + "/output?download=1");
  $("verify-result").textContent = "";
  $("result").hidden = false;
  $("result").dataset.job = job.id;
}

async function onCancel() {
  if (!state.renderJob) return;
  try { await api("/api/jobs/" + state.renderJob + "/cancel", { method: "POST" }); }
  catch (e) { showError("Cancel: " + e.message); }
}

// --- verify ----------------------------------------------------------------------------------

function describeVerdict(result) {
  const v = JSON.parse(result);
  const lines = [];
  lines.push(v.watermark_found ? "watermark found: AI-generated (render " + (v.payload ? v.payload.render_id : "?")
    + ", confidence " + Number(v.confidence).toFixed(2) + ")" : "no watermark found (" + v.frames_examined + " frame(s) examined)");
  lines.push(v.metadata_says_ai_generated ? "metadata: labelled AI-generated" : "metadata: no AI-generated label");
  return lines.join("\n");
}

async function verify(request, out) {
  out.textContent = "verifying…";
  try {
    const job = await watch(await submit(Object.assign({ kind: "verify" }, request)));
    if (job.state !== "done") throw new Error(job.message || "verify " + job.state);
    out.textContent = describeVerdict(job.result);
  } catch (e) {
    out.textContent = "";
    showError("Verify: " + e.message);
  }
}

async function onVerifyFile() {
  const file = $("verify-file").files[0];
  if (!file) return;
  clearError();
  try {
    const uploaded = await upload(file);
    await verify({ source: uploaded.id }, $("verify-file-result"));
  } catch (e) { showError("Verify: " + e.message); }
}

// --- jobs ------------------------------------------------------------------------------------

async function refreshJobs() {
  let jobs;
  try { jobs = await api("/api/jobs"); } catch (e) { return; }
  const body = $("jobs").querySelector("tbody");
  body.innerHTML = "";
  for (const job of jobs.slice().reverse()) {
    const row = body.insertRow();
    row.dataset.job = job.id;
    row.insertCell().textContent = job.title;
    row.insertCell().textContent = job.state + (job.message ? " (" + job.message + ")" : "");
    row.insertCell().textContent = (job.stage && job.stage !== "rendering" ? job.stage + " " : "") + job.framesDone + (job.framesTotal ? "/" + job.framesTotal : "");
    row.insertCell().textContent = job.fps ? job.fps.toFixed(2) : "";
    const cell = row.insertCell();
    if (job.state === "queued" || job.state === "running") {
      const button = document.createElement("button");
      button.textContent = "cancel";
      button.onclick = () => api("/api/jobs/" + job.id + "/cancel", { method: "POST" }).catch((e) => showError(e.message));
      cell.appendChild(button);
    } else if (job.state === "done" && job.hasOutput) {
      const link = document.createElement("a");
      link.href = withToken("/api/jobs/" + job.id + "/output?download=1");
      link.textContent = "download";
      cell.appendChild(link);
    }
  }
  // A render still running from before the page was opened: follow it again.
  const running = jobs.filter((j) => j.kind === "render" && (j.state === "running" || j.state === "queued")).pop();
  if (running && !state.renderJob) {
    state.renderJob = running.id;
    $("cancel-btn").disabled = false;
    $("render-btn").disabled = true;
    watch(running, showProgress).then(finishRender);
  }
}

// --- start -----------------------------------------------------------------------------------

window.addEventListener("DOMContentLoaded", async () => {
  buildSliders();
  $("source-file").addEventListener("change", onSourceChosen);
  $("driver-file").addEventListener("change", onDriverChosen);
  $("clear-driver").addEventListener("click", clearDriver);
  $("source-canvas").addEventListener("click", onCanvasClick);
  $("save-avatar").addEventListener("click", onSaveAvatar);
  $("avatar-select").addEventListener("change", schedulePreview);
  $("reset-sliders").addEventListener("click", () => {
    for (const [name] of controls) { $("edit-" + name).value = 0; $("edit-" + name).nextElementSibling.textContent = "0"; }
    schedulePreview();
  });
  $("preview-btn").addEventListener("click", runPreview);
  $("render-btn").addEventListener("click", onRender);
  $("cancel-btn").addEventListener("click", onCancel);
  $("verify-btn").addEventListener("click", () => verify({ job: $("result").dataset.job }, $("verify-result")));
  $("verify-file").addEventListener("change", onVerifyFile);
  try { await loadCatalog(); } catch (e) { showError(e.message); }
  await refreshJobs();
  setInterval(refreshJobs, 2000);
  document.body.dataset.ready = "1";
});
