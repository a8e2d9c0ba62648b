// Search page: Pagefind's JS API, facets (OR within a facet, AND across facets), state in the URL.
const root = document.getElementById("search");
const base = root.dataset.base;
const FACETS = JSON.parse(root.dataset.facets); // [[key, label], …]
const PAGE = 20;
const $ = (id) => document.getElementById(id);
const input = $("q"), sortSelect = $("sort"), facetsBox = $("facets"), results = $("results");
const status = $("status"), more = $("more");
let pagefind, allFilters = {}, shown = 0, current = [], runId = 0, timer, lastQuery = "";

root.hidden = false;
$("no-script").hidden = true;

function stateFromUrl() {
  const params = new URLSearchParams(location.search);
  const filters = {};
  for (const [key] of FACETS) {
    const values = params.getAll(key);
    if (values.length) filters[key] = values;
  }
  return { q: params.get("q") || "", sort: params.get("sort") || "", filters };
}

function urlFromState(state) {
  const params = new URLSearchParams();
  if (state.q) params.set("q", state.q);
  if (state.sort) params.set("sort", state.sort);
  for (const [key] of FACETS) for (const v of state.filters[key] || []) params.append(key, v);
  const query = params.toString();
  return location.pathname + (query ? "?" + query : "");
}

function readForm() {
  const filters = {};
  for (const box of facetsBox.querySelectorAll("input[type=checkbox]:checked")) {
    (filters[box.name] ||= []).push(box.value);
  }
  return { q: input.value.trim(), sort: sortSelect.value, filters };
}

// The same tokens as policy_handbook/searchterms.py: one per character and per adjacent pair
// of Chinese characters and digits, as ASCII words the browser's segmenter leaves whole.
const RUN = /[\u3400-\u4dbf\u4e00-\u9fff0-9]+/g;
const tokenFor = (chars) => "g" + [...chars].map((c) => c.codePointAt(0).toString(36).padStart(4, "0")).join("");

function pagefindQuery(q) {
  const tokens = [];
  const rest = q.replace(RUN, (run) => {
    const chars = [...run];
    if (chars.length === 1) tokens.push(tokenFor(run));
    for (let i = 0; i + 1 < chars.length; i++) tokens.push(tokenFor(chars[i] + chars[i + 1]));
    return " ";
  });
  return [...tokens, ...rest.split(/[\s\p{P}]+/u).filter(Boolean)].join(" ");
}

function phrases(q) {
  return q.split(/[\s\p{P}]+/u).filter(Boolean);
}

// Rank what is shown: the whole phrase in the title first, then in the lead agencies (an
// agency's name finds what it leads before what it shares), then in the text, then the rest.
function phraseRank(item, parts) {
  const has = (text) => parts.every((p) => (text || "").includes(p));
  if (has(item.meta.title)) return 0;
  if (has(item.meta.lead)) return 1;
  if (has(item.content)) return 2;
  return 3;
}

function excerptFor(item, parts) {
  const text = item.content;
  const at = parts.length ? text.indexOf(parts[0]) : -1;
  const start = Math.max(0, (at < 0 ? 0 : at) - 30);
  const slice = text.slice(start, start + 110);
  let html = escapeHtml(slice);
  for (const part of parts) html = html.split(escapeHtml(part)).join(`<mark>${escapeHtml(part)}</mark>`);
  return (start > 0 ? "…" : "") + html + (start + 110 < text.length ? "…" : "");
}

function escapeHtml(text) {
  return text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c]));
}

function renderFacets(state, counts) {
  facetsBox.replaceChildren();
  let active = 0;
  for (const [key, label] of FACETS) {
    const values = Object.keys(allFilters[key] || {}).sort((a, b) => a.localeCompare(b, "zh-CN"));
    if (!values.length) continue;
    const fieldset = document.createElement("fieldset");
    fieldset.className = "facet";
    fieldset.innerHTML = `<legend>${escapeHtml(label)}</legend>`;
    const chosen = new Set(state.filters[key] || []);
    for (const value of values) {
      const count = counts?.[key]?.[value] ?? 0;
      if (!count && !chosen.has(value)) continue;
      active += chosen.has(value);
      const id = `f-${key}-${value}`;
      const row = document.createElement("div");
      row.className = "facet-value";
      row.innerHTML = `<input type="checkbox" id="${escapeHtml(id)}" name="${escapeHtml(key)}" value="${escapeHtml(value)}"${chosen.has(value) ? " checked" : ""}>` +
        `<label for="${escapeHtml(id)}">${escapeHtml(value)} <span class="count">${count}</span></label>`;
      fieldset.append(row);
    }
    if (fieldset.querySelector("input")) facetsBox.append(fieldset);
  }
  $("active-count").textContent = active ? `（已选 ${active} 项）` : "";
  $("clear").hidden = !active;
}

async function showMore(id = runId, state = null) {
  const batch = current.slice(shown, shown + PAGE);
  let items = await Promise.all(batch.map((r) => r.data()));
  if (id !== runId) return; // a newer search replaced these results while they loaded
  const parts = phrases(lastQuery);
  if (shown === 0 && parts.length && !(state && state.sort)) {
    items = items.map((item, i) => [phraseRank(item, parts), i, item]).sort((a, b) => a[0] - b[0] || a[1] - b[1]).map((x) => x[2]);
  }
  shown += batch.length;
  for (const item of items) {
    const li = document.createElement("li");
    li.className = "result";
    const m = item.meta;
    li.innerHTML = `<a class="result-title" href="${escapeHtml(item.url)}">${escapeHtml(m.title || item.url)}</a>` +
      `<p class="result-excerpt">${excerptFor(item, parts)}</p>` +
      `<p class="result-meta">${escapeHtml(m.document || "")}${m.issue ? " · " + escapeHtml(m.issue) : ""}` +
      `${m.lead ? "<br>牵头：" + escapeHtml(m.lead) : ""}${m.deadline ? " · 时限：" + escapeHtml(m.deadline) : ""}</p>`;
    results.append(li);
  }
  more.hidden = shown >= current.length;
}

async function run(state) {
  const id = ++runId;
  root.setAttribute("aria-busy", "true"); // cleared once the results on screen are final
  await ready; // a reader may type before the index has loaded
  if (id !== runId) return; // a newer search started meanwhile: it owns the page now
  input.value = state.q;
  sortSelect.value = state.sort;
  const filters = {};
  for (const [key, values] of Object.entries(state.filters)) filters[key] = { any: values };
  const options = { filters };
  if (state.sort === "deadline") options.sort = { deadline: "asc" };
  if (state.sort === "date") options.sort = { date: "desc" };
  const hasFilters = Object.keys(filters).length > 0;
  if (!state.q && !hasFilters) {
    results.replaceChildren();
    current = [];
    more.hidden = true;
    status.textContent = "输入关键词，或展开“筛选”按单位、主题、地区等查找。";
    renderFacets(state, allFilters);
    root.removeAttribute("aria-busy");
    return;
  }
  lastQuery = state.q;
  const query = state.q ? pagefindQuery(state.q) : null;
  const search = await pagefind.search(query || null, options);
  if (id !== runId) return; // a newer search has started
  current = search.results;
  shown = 0;
  results.replaceChildren();
  status.textContent = current.length ? `找到 ${current.length} 条措施` : "没有找到相关措施，换个说法试试，或减少筛选条件。";
  renderFacets(state, search.filters);
  await showMore(id, state);
  if (id !== runId) return;
  root.removeAttribute("aria-busy");
  document.dispatchEvent(new CustomEvent("search-rendered", { detail: { query: state.q, count: current.length } }));
}

function commit(push) {
  const state = readForm();
  const url = urlFromState(state);
  if (url !== location.pathname + location.search) history[push ? "pushState" : "replaceState"](null, "", url);
  run(state);
}

input.addEventListener("input", () => { clearTimeout(timer); timer = setTimeout(() => commit(false), 150); });
root.querySelector("form").addEventListener("submit", (e) => { e.preventDefault(); clearTimeout(timer); commit(true); });
sortSelect.addEventListener("change", () => commit(true));
facetsBox.addEventListener("change", () => commit(true));
$("clear").addEventListener("click", () => { for (const b of facetsBox.querySelectorAll("input:checked")) b.checked = false; commit(true); });
more.addEventListener("click", () => showMore());
window.addEventListener("popstate", () => run(stateFromUrl()));

const ready = (async () => {
  pagefind = await import(`${base}pagefind/pagefind.js`);
  await pagefind.options({ excerptLength: 40 });
  await pagefind.init();
  allFilters = await pagefind.filters();
})();
const initial = stateFromUrl();
if (!initial.q && input.value.trim()) {
  // Typed before this script ran: keep it rather than reset the box from the URL.
  initial.q = input.value.trim();
  history.replaceState(null, "", urlFromState(initial));
}
// The filter panel stays closed: its summary counts the chosen filters, and results come first.
run(initial);
