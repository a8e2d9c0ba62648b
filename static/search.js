// Search page: Pagefind's JS API, facets (OR within a facet, AND across facets), state in the URL.
const root = document.getElementById("search");
const base = root.dataset.base;
const FACETS = JSON.parse(root.dataset.facets); // [[key, label], …]
const PAGE = 20;
const $ = (id) => document.getElementById(id);
const input = $("q"), sortSelect = $("sort"), facetsBox = $("facets"), results = $("results");
const status = $("status"), more = $("more");
let pagefind, allFilters = {}, shown = 0, current = [], runId = 0, timer;

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

async function showMore(id = runId) {
  const batch = current.slice(shown, shown + PAGE);
  const items = await Promise.all(batch.map((r) => r.data()));
  if (id !== runId) return; // a newer search replaced these results while they loaded
  shown += batch.length;
  for (const item of items) {
    const li = document.createElement("li");
    li.className = "result";
    const m = item.meta;
    li.innerHTML = `<a class="result-title" href="${escapeHtml(item.url)}">${escapeHtml(m.title || item.url)}</a>` +
      `<p class="result-excerpt">${item.excerpt}</p>` +
      `<p class="result-meta">${escapeHtml(m.document || "")}${m.issue ? " · " + escapeHtml(m.issue) : ""}` +
      `${m.lead ? "<br>牵头：" + escapeHtml(m.lead) : ""}${m.deadline ? " · 时限：" + escapeHtml(m.deadline) : ""}</p>`;
    results.append(li);
  }
  more.hidden = shown >= current.length;
}

async function run(state) {
  const id = ++runId;
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
    return;
  }
  const search = await pagefind.search(state.q || null, options);
  if (id !== runId) return; // a newer search has started
  current = search.results;
  shown = 0;
  results.replaceChildren();
  status.textContent = current.length ? `找到 ${current.length} 条措施` : "没有找到相关措施，换个说法试试，或减少筛选条件。";
  renderFacets(state, search.filters);
  await showMore(id);
  if (id !== runId) return;
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

pagefind = await import(`${base}pagefind/pagefind.js`);
await pagefind.options({ excerptLength: 40 });
await pagefind.init();
allFilters = await pagefind.filters();
const initial = stateFromUrl();
if (Object.keys(initial.filters).length) $("facets-box").open = true;
run(initial);
