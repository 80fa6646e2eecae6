// woo-anon review screen. Plain JavaScript, no dependencies: every change goes to the server
// at once, which writes the plan JSON; this page only shows what the server stored.

const $ = (sel) => document.querySelector(sel);
const state = {
  info: null, docs: [], doc: null, current: -1, zoom: 1.5, draw: false,
  selection: null, busy: false,
};

const STATUS_NL = { redact: "lakken", keep: "openbaar", review: "te beoordelen" };
const ORIGIN_NL = { automatic: "automatisch", reviewed: "beoordeeld", manual: "handmatig" };

async function api(path, body) {
  const options = body === undefined ? {} : {
    method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body),
  };
  const response = await fetch(path, options);
  const data = await response.json().catch(() => ({}));
  if (!response.ok) throw new Error(data.fout || `serverfout ${response.status}`);
  return data;
}

function say(text, isError = false) {
  const el = $("#status");
  el.textContent = text;
  el.classList.toggle("error", isError);
}

async function guarded(work) {
  try { return await work(); } catch (err) { say(err.message, true); return null; }
}

// --- document list -----------------------------------------------------------------------

function groundText(byGround) {
  const parts = Object.entries(byGround || {}).map(([g, n]) => `${g}: ${n}`);
  return parts.length ? parts.join(", ") : "geen";
}

async function loadDocuments() {
  state.docs = await api("/api/documents");
  const body = $("#doclist tbody");
  body.replaceChildren(...state.docs.map(docRow));
}

function docRow(doc) {
  const tr = document.createElement("tr");
  tr.dataset.docIndex = doc.index;
  if (state.doc && state.doc.index === doc.index) tr.setAttribute("aria-current", "true");
  const name = document.createElement("td");
  const open = document.createElement("button");
  open.type = "button";
  open.className = "link";
  open.textContent = doc.name;
  open.disabled = Boolean(doc.error);
  open.setAttribute("aria-label", `${doc.name} openen`);
  open.addEventListener("click", () => guarded(() => openDocument(doc.index)));
  name.append(open);
  const flags = [...(doc.flags || []), ...(doc.error ? [doc.error] : [])];
  if (flags.length) {
    const list = document.createElement("span");
    list.className = "flag";
    list.textContent = flags.join("; ");
    name.append(list);
  }
  const status = document.createElement("td");
  status.textContent = doc.error ? "fout" : `${doc.status} (${doc.reviewed}/${doc.proposals} bekeken)` +
    (doc.to_review ? `, ${doc.to_review} te beoordelen` : "");
  const grounds = document.createElement("td");
  grounds.textContent = doc.error ? "" : groundText(doc.by_ground);
  tr.append(name, status, grounds);
  return tr;
}

// --- page view ---------------------------------------------------------------------------

async function openDocument(index, keepCurrent = false) {
  const doc = await api(`/api/documents/${index}`);
  const sameDoc = state.doc && state.doc.index === index;
  state.doc = doc;
  if (!(keepCurrent && sameDoc)) state.current = -1;
  if (!state.zoomChosen) fitWidth();
  $("#doc-title").textContent = doc.name;
  $("#flags").textContent = (doc.flags || []).join("; ");
  if (!sameDoc || !keepCurrent) renderPages();
  else renderAllBoxes();
  showDetails();
  document.querySelectorAll("#doclist tr").forEach((tr) =>
    tr.toggleAttribute("aria-current", Number(tr.dataset.docIndex) === index));
}

function renderPages() {
  const container = $("#pages");
  wordsWhenVisible.disconnect();
  container.replaceChildren();
  state.doc.sizes.forEach(([w, h], i) => {
    const number = i + 1;
    const page = document.createElement("section");
    page.className = "page";
    page.dataset.page = number;
    page.setAttribute("aria-label", `Pagina ${number}`);
    page.style.width = `${w * state.zoom}px`;
    page.style.height = `${h * state.zoom}px`;
    const img = document.createElement("img");
    img.alt = `Pagina ${number} van ${state.doc.name}`;
    img.src = `/api/documents/${state.doc.index}/pages/${number}.png?zoom=${state.zoom * (window.devicePixelRatio || 1)}`;
    const text = document.createElement("div");
    text.className = "textlayer";
    const boxes = document.createElement("div");
    boxes.className = "boxlayer";
    const draw = document.createElement("div");
    draw.className = "drawlayer";
    img.loading = "lazy";
    page.append(img, text, boxes, draw);
    container.append(page);
    setupDrawing(draw, number);
    wordsWhenVisible.observe(page);
  });
  renderAllBoxes();
}

// The selectable word layer of a page is built when the page scrolls into view.
const wordsWhenVisible = new IntersectionObserver((entries) => {
  for (const entry of entries) {
    if (!entry.isIntersecting) continue;
    wordsWhenVisible.unobserve(entry.target);
    loadWords(entry.target.querySelector(".textlayer"), Number(entry.target.dataset.page));
  }
}, { rootMargin: "400px" });

function proposals() {
  // Reading order: page, then top to bottom, left to right.
  return [...state.doc.redactions].sort((a, b) =>
    a.page - b.page || a.boxes[0][1] - b.boxes[0][1] || a.boxes[0][0] - b.boxes[0][0]);
}

function renderAllBoxes() {
  // keyboard users keep their place: the focused proposal is focused again after the redraw
  const focused = document.activeElement && document.activeElement.dataset.redactionId;
  document.querySelectorAll(".boxlayer").forEach((layer) => layer.replaceChildren());
  for (const item of state.doc.redactions) {
    const layer = document.querySelector(`.page[data-page="${item.page}"] .boxlayer`);
    if (!layer) continue;
    item.boxes.forEach((box, i) => layer.append(boxElement(item, box, i)));
  }
  markCurrent();
  if (focused) {
    const again = document.querySelector(`.box[data-redaction-id="${CSS.escape(focused)}"]`);
    if (again) again.focus({ preventScroll: true });
  }
}

function shown(box, page) {
  // plan boxes are in unrotated page space (as text extraction gives them); the image is rotated
  const [a, b, c, d, e, f] = state.doc.matrices[page - 1];
  const xs = [], ys = [];
  for (const [x, y] of [[box[0], box[1]], [box[2], box[1]], [box[0], box[3]], [box[2], box[3]]]) {
    xs.push(a * x + c * y + e);
    ys.push(b * x + d * y + f);
  }
  return [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)];
}

function boxElement(item, planBox, i) {
  const box = shown(planBox, item.page);
  const el = document.createElement("button");
  el.type = "button";
  el.className = `box ${item.status} origin-${item.origin || "automatic"}`;
  el.dataset.redactionId = item.id;
  el.dataset.status = item.status;
  el.dataset.ground = item.ground;
  const z = state.zoom;
  const pad = 2; // the border sits just outside the text, so the officer can read what is under it
  Object.assign(el.style, {
    left: `${box[0] * z - pad}px`, top: `${box[1] * z - pad}px`,
    width: `${Math.max(box[2] - box[0], 2) * z + 2 * pad}px`, height: `${Math.max(box[3] - box[1], 2) * z + 2 * pad}px`,
  });
  if (i > 0) el.tabIndex = -1; // one tab stop per proposal, however many lines it spans
  el.setAttribute("aria-label", boxLabel(item));
  el.setAttribute("aria-pressed", item.status === "redact" ? "true" : item.status === "keep" ? "false" : "mixed");
  const tag = document.createElement("span");
  tag.className = "tag";
  tag.textContent = item.status === "redact" ? item.ground : STATUS_NL[item.status] || item.status;
  tag.setAttribute("aria-hidden", "true");
  if (i === 0) el.append(tag);
  el.addEventListener("click", () => { select(item.id); guarded(() => toggle(item.id)); });
  el.addEventListener("focus", () => select(item.id, false));
  return el;
}

function boxLabel(item) {
  const what = item.text ? `“${item.text}”` : "vak";
  return `${what}, ${item.entity}, pagina ${item.page}: ${STATUS_NL[item.status]}` +
    (item.status === "redact" ? `, grond ${item.ground}` : "") + ". Activeren wisselt lakken/openbaar.";
}

function item(id) { return state.doc.redactions.find((r) => r.id === id); }

function replaceItem(stored) {
  const i = state.doc.redactions.findIndex((r) => r.id === stored.id);
  if (i >= 0) state.doc.redactions[i] = stored; else state.doc.redactions.push(stored);
  renderAllBoxes();
  showDetails();
}

// --- selecting and editing proposals --------------------------------------------------------

function select(id, focus = false) {
  const list = proposals();
  state.current = list.findIndex((r) => r.id === id);
  markCurrent(focus);
  showDetails();
}

function markCurrent(focus = false) {
  const current = proposals()[state.current];
  document.querySelectorAll(".box.current").forEach((el) => el.classList.remove("current"));
  if (!current) return;
  const els = document.querySelectorAll(`.box[data-redaction-id="${CSS.escape(current.id)}"]`);
  els.forEach((el) => el.classList.add("current"));
  if (focus && els[0]) { els[0].focus(); els[0].scrollIntoView({ block: "center", behavior: "smooth" }); }
}

function step(delta) {
  const list = proposals();
  if (!list.length) return;
  state.current = (state.current + delta + list.length) % list.length;
  if (state.current < 0) state.current = 0;
  markCurrent(true);
  showDetails();
}

function showDetails() {
  const current = state.doc && proposals()[state.current];
  $("#details-empty").hidden = Boolean(current);
  $("#details-body").hidden = !current;
  if (!current) return;
  $("#d-text").textContent = current.text || "(geen tekst)";
  $("#d-entity").textContent = current.entity;
  $("#d-reason").textContent = current.reason || "";
  $("#d-origin").textContent = (ORIGIN_NL[current.origin] || current.origin) +
    (current.reviewer ? ` — ${current.reviewer}, ${current.reviewed_at}` : "");
  $("#d-page").textContent = current.page;
  $("#d-toggle").textContent = current.status === "redact" ? "Openbaar laten (nu: lakken)" : `Lakken (nu: ${STATUS_NL[current.status]})`;
  $("#d-ground").value = current.ground in state.info.grounds ? current.ground : "";
}

async function toggle(id) {
  const target = item(id);
  const status = target.status === "redact" ? "keep" : "redact";
  const stored = await api(`/api/documents/${state.doc.index}/redactions/${encodeURIComponent(id)}`, { status });
  replaceItem(stored);
  markCurrent();
  say(`${stored.text || "Vak"}: ${STATUS_NL[stored.status]} (opgeslagen)`);
  refreshList();
}

async function setGround(ground) {
  const current = proposals()[state.current];
  if (!current || !ground) return;
  const stored = await api(`/api/documents/${state.doc.index}/redactions/${encodeURIComponent(current.id)}`, { ground });
  replaceItem(stored);
  say(`Weigeringsgrond ${stored.ground} opgeslagen`);
  refreshList();
}

function refreshList() { guarded(loadDocuments); }

async function addRedaction(body) {
  const stored = await api(`/api/documents/${state.doc.index}/redactions`,
    { ...body, ground: $("#new-ground").value });
  replaceItem(stored);
  select(stored.id);
  say(`Lakking toegevoegd (${stored.ground})`);
  refreshList();
}

// --- drawing a box and selecting text ---------------------------------------------------------

function setupDrawing(layer, number) {
  let start = null;
  let rect = null;
  const point = (ev) => {
    const r = layer.getBoundingClientRect();
    return [ev.clientX - r.left, ev.clientY - r.top];
  };
  layer.addEventListener("pointerdown", (ev) => {
    if (!state.draw) return;
    start = point(ev);
    rect = document.createElement("div");
    rect.className = "drawing";
    layer.append(rect);
    layer.setPointerCapture(ev.pointerId);
  });
  layer.addEventListener("pointermove", (ev) => {
    if (!start) return;
    const [x, y] = point(ev);
    Object.assign(rect.style, {
      left: `${Math.min(x, start[0])}px`, top: `${Math.min(y, start[1])}px`,
      width: `${Math.abs(x - start[0])}px`, height: `${Math.abs(y - start[1])}px`,
    });
  });
  layer.addEventListener("pointerup", (ev) => {
    if (!start) return;
    const [x, y] = point(ev);
    const z = state.zoom;
    const box = [Math.min(x, start[0]) / z, Math.min(y, start[1]) / z, Math.max(x, start[0]) / z, Math.max(y, start[1]) / z];
    start = null;
    rect.remove();
    if (box[2] - box[0] < 2 || box[3] - box[1] < 2) return;
    guarded(() => addRedaction({ page: number, box }));
  });
}

async function loadWords(layer, number) {
  const words = await guarded(() => api(`/api/documents/${state.doc.index}/pages/${number}/words`));
  if (!words) return;
  const z = state.zoom;
  const frag = document.createDocumentFragment();
  for (const w of words) {
    const span = document.createElement("span");
    span.textContent = w.t;
    span.dataset.s = w.s;
    span.dataset.e = w.e;
    const height = (w.b[3] - w.b[1]) * z;
    Object.assign(span.style, {
      left: `${w.b[0] * z}px`, top: `${w.b[1] * z}px`, fontSize: `${height * 0.85}px`, lineHeight: `${height}px`,
    });
    span.dataset.width = (w.b[2] - w.b[0]) * z;
    frag.append(span);
    frag.append(document.createTextNode(" "));
  }
  layer.append(frag);
  for (const span of layer.querySelectorAll("span")) {
    const natural = span.getBoundingClientRect().width;
    if (natural > 0) span.style.transform = `scaleX(${Number(span.dataset.width) / natural})`;
  }
}

function selectedRange() {
  const sel = window.getSelection();
  if (!sel || sel.isCollapsed) return null;
  const spans = [...document.querySelectorAll(".textlayer span")].filter((s) => sel.containsNode(s, true));
  if (!spans.length) return null;
  const page = Number(spans[0].closest(".page").dataset.page);
  const same = spans.filter((s) => Number(s.closest(".page").dataset.page) === page);
  return {
    page,
    start: Math.min(...same.map((s) => Number(s.dataset.s))),
    end: Math.max(...same.map((s) => Number(s.dataset.e))),
  };
}

function updateSelection(ev) {
  state.selection = selectedRange();
  $("#redact-selection").disabled = !state.selection;
  const pop = $("#selection-pop");
  pop.hidden = !state.selection;
  if (state.selection && ev && ev.clientX !== undefined) {
    pop.style.left = `${ev.pageX + 8}px`;
    pop.style.top = `${ev.pageY + 8}px`;
  }
}

async function redactSelection() {
  const range = state.selection || selectedRange();
  if (!range) { say("Selecteer eerst tekst op de pagina", true); return; }
  window.getSelection().removeAllRanges();
  updateSelection();
  await addRedaction(range);
}

// --- search, undo, apply ---------------------------------------------------------------------

async function search(status) {
  const term = $("#search-term").value.trim();
  if (!term) { say("Vul een zoekterm in", true); return; }
  const scope = $("#search-scope").value;
  if (scope === "doc" && !state.doc) { say("Open eerst een document of kies 'Hele verzoek'", true); return; }
  const result = await api("/api/search", {
    term, status, ground: $("#new-ground").value, document: scope === "doc" ? state.doc.index : "alle",
  });
  say(`“${term}”: ${result.found} keer gevonden, ${result.changed} ${status === "redact" ? "gelakt" : "openbaar gemaakt"} (opgeslagen)`);
  await reloadCurrent();
}

async function reloadCurrent() {
  if (state.doc) await openDocument(state.doc.index, true);
  await loadDocuments();
}

async function undo() {
  await api("/api/undo", {});
  say("Laatste wijziging ongedaan gemaakt");
  await reloadCurrent();
}

function warnOpen() {
  // proposals still marked "te beoordelen" are not redacted by apply: say so before it runs
  const open = state.docs.filter((d) => d.to_review);
  const count = open.reduce((n, d) => n + d.to_review, 0);
  $("#apply-open").hidden = !count;
  $("#apply-open").textContent = count ? `Let op: ${count} voorstellen in ${open.length} document(en) staan nog op ` +
    `‘te beoordelen’; die worden niet gelakt (${open.map((d) => d.name).join(", ")}).` : "";
}

function showInputs() {
  const given = state.info.inputs.length > 0;
  $("#apply-inputs-given").hidden = !given;
  $("#apply-inputs-ask").hidden = given;
  $("#apply-inputs-list").textContent = state.info.inputs.join(" ");
}

async function startApply() {
  $("#apply-results tbody").replaceChildren();
  const inputs = $("#apply-inputs").value.split(";").map((p) => p.trim()).filter(Boolean);
  if (!state.info.inputs.length && !inputs.length) {
    $("#apply-inputs").focus();
    throw new Error("Vul eerst de map met de originele documenten in");
  }
  const job = await api("/api/apply", { force: $("#apply-force").checked, inputs });
  state.info = await api("/api/info");
  showInputs();
  pollApply(job);
}

function pollApply(job) {
  const progress = $("#apply-progress");
  progress.max = Math.max(job.total, 1);
  progress.value = job.done;
  $("#apply-start").disabled = job.running;
  if (job.running) {
    $("#apply-state").textContent = `Bezig: ${job.done} van ${job.total} documenten…`;
    setTimeout(() => guarded(async () => pollApply(await api("/api/apply"))), 400);
    return;
  }
  if (job.error) { $("#apply-state").textContent = `Mislukt: ${job.error}`; return; }
  const ok = job.results.filter((r) => r.status === "verified").length;
  $("#apply-state").textContent = job.results.length
    ? `Klaar in ${job.seconds} s: ${ok} van ${job.results.length} documenten gelakt en gecontroleerd.` : "";
  $("#apply-results tbody").replaceChildren(...job.results.map(resultRow));
  loadDocuments();
}

function resultRow(r) {
  const tr = document.createElement("tr");
  tr.dataset.status = r.status;
  const cells = [r.name, r.status === "verified" ? "✓ gecontroleerd: niets leesbaar onder de lakken" : `✗ ${r.error || r.status}`,
    groundText(r.by_ground)];
  for (const text of cells) {
    const td = document.createElement("td");
    td.textContent = text;
    tr.append(td);
  }
  const link = document.createElement("td");
  const doc = state.docs.find((d) => d.name === r.name);
  if (r.status === "verified" && doc) {
    const a = document.createElement("a");
    a.href = `/api/documents/${doc.index}/output.pdf`;
    a.target = "_blank";
    a.textContent = "Open";
    a.setAttribute("aria-label", `Gelakte versie van ${r.name} openen`);
    link.append(a);
  }
  tr.append(link);
  return tr;
}

// --- wiring ------------------------------------------------------------------------------

function fillGrounds(select, withEmpty) {
  const options = Object.entries(state.info.grounds).map(([code, name]) => new Option(`${code} — ${name}`, code));
  if (withEmpty) options.unshift(new Option("(geen)", ""));
  select.replaceChildren(...options);
}

function setDraw(on) {
  state.draw = on;
  $("#draw").setAttribute("aria-pressed", String(on));
  document.body.classList.toggle("drawing-mode", on);
  say(on ? "Vak tekenen: sleep over de pagina" : "Vak tekenen uit");
}

function fitWidth() {
  const widest = Math.max(...state.doc.sizes.map(([w]) => w), 1);
  state.zoom = Math.min(2, Math.max(0.5, ($("#viewer").clientWidth - 48) / widest));
}

function setZoom(factor) {
  state.zoomChosen = true;
  state.zoom = Math.min(4, Math.max(0.5, state.zoom * factor));
  if (state.doc) renderPages();
}

function onKey(ev) {
  const tag = ev.target.tagName;
  if ((ev.ctrlKey || ev.metaKey) && ev.key === "z" && !["INPUT", "SELECT", "TEXTAREA"].includes(tag)) {
    ev.preventDefault(); guarded(undo); return;
  }
  if (ev.ctrlKey || ev.metaKey || ev.altKey || ["INPUT", "SELECT", "TEXTAREA"].includes(tag)) return;
  if ($("#apply-dialog").open) return;
  const actions = {
    n: () => step(1), j: () => step(1), p: () => step(-1), k: () => step(-1),
    t: () => { const c = state.doc && proposals()[state.current]; if (c) guarded(() => toggle(c.id)); },
    g: () => $("#d-ground").focus(), d: () => setDraw(!state.draw), l: () => guarded(redactSelection),
    u: () => guarded(undo), "/": () => $("#search-term").focus(),
  };
  const action = state.doc || ev.key === "/" ? actions[ev.key] : null;
  if (action) { ev.preventDefault(); action(); }
}

async function main() {
  state.info = await api("/api/info");
  $("#reviewer-name").textContent = state.info.reviewer;
  fillGrounds($("#new-ground"), false);
  $("#new-ground").value = state.info.default_ground;
  fillGrounds($("#d-ground"), true);
  $("#apply-output").textContent = state.info.output;
  showInputs();
  await loadDocuments();
  document.addEventListener("keydown", onKey);
  document.addEventListener("mouseup", (ev) => { if (!state.draw && ev.target.closest(".textlayer")) updateSelection(ev); });
  document.addEventListener("selectionchange", () => { if (!selectedRange()) updateSelection(); });
  $("#prev").addEventListener("click", () => step(-1));
  $("#next").addEventListener("click", () => step(1));
  $("#draw").addEventListener("click", () => setDraw(!state.draw));
  $("#redact-selection").addEventListener("click", () => guarded(redactSelection));
  $("#pop-redact").addEventListener("click", () => guarded(redactSelection));
  $("#zoom-in").addEventListener("click", () => setZoom(1.25));
  $("#show-tags").addEventListener("change", (ev) => document.body.classList.toggle("hide-tags", !ev.target.checked));
  $("#zoom-out").addEventListener("click", () => setZoom(0.8));
  $("#undo").addEventListener("click", () => guarded(undo));
  $("#search").addEventListener("submit", (ev) => { ev.preventDefault(); guarded(() => search("redact")); });
  $("#search-keep").addEventListener("click", () => guarded(() => search("keep")));
  $("#d-toggle").addEventListener("click", () => { const c = proposals()[state.current]; if (c) guarded(() => toggle(c.id)); });
  $("#d-ground").addEventListener("change", (ev) => guarded(() => setGround(ev.target.value)));
  $("#open-apply").addEventListener("click", () => { $("#apply-dialog").showModal(); warnOpen(); guarded(async () => pollApply(await api("/api/apply"))); });
  $("#apply-close").addEventListener("click", () => $("#apply-dialog").close());
  $("#apply-start").addEventListener("click", () => startApply().catch((err) => {
    $("#apply-state").textContent = err.message;
    say(err.message, true);
  }));
  document.body.dataset.ready = "true";
  if (state.docs.length && !state.docs[0].error) await openDocument(state.docs[0].index);
}

guarded(main);
