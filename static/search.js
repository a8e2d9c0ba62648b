// Search page: the pair tokens of policy_handbook/pages/searchterms.py and the facets (OR within
// a facet, AND across facets), read from Pagefind's index by static/searchindex.js; state in the URL.
import { openIndex } from "./searchindex.js";

const root = document.getElementById("search");
const base = root.dataset.base;
const FACETS = JSON.parse(root.dataset.facets); // [[key, label], …] in the order the panel shows them
const PAGE = 10; // a phone shows two or three: each more is a fragment fetched for nothing
const FIELD = { text: "t", title: "a", lead: "b" }; // searchterms.TEXT, TITLE, LEAD: marks in tokens
const $ = (id) => document.getElementById(id);
const input = $("q"), sortSelect = $("sort"), facetsBox = $("facets"), panel = $("facets-box");
const results = $("results"), status = $("status"), more = $("more"), near = $("near"), headerBox = $("site-q");
let index, t2s = new Map(), allFilters = null, shown = 0, current = [], runId = 0, shownTerms = [];
const termPages = new Map(); // term -> Promise<its pages per field>: typing reuses what it looked up

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
  // Filters chosen before the panel was first opened (from the URL) stay chosen.
  if (!allFilters) Object.assign(filters, stateFromUrl().filters);
  return { q: input.value.trim(), sort: sortSelect.value, filters };
}

// The query read as the build read the cards (searchterms.normalise): NFKC, simplified
// characters from the table the build wrote (search/terms.json), lower case. One character for one.
function normaliseChar(c) {
  const n = c.normalize("NFKC");
  return [...n].length === 1 ? (t2s.get(n) || n).toLowerCase() : c;
}
const normalise = (text) => [...text].map(normaliseChar).join("");

const RUN = /[\u3400-\u4dbf\u4e00-\u9fff0-9a-z]+/g, WORD = /^[\u3400-\u4dbf\u4e00-\u9fff0-9a-z]+$/;
const code = (c) => c.codePointAt(0).toString(36).padStart(3, "0");
// searchterms.token: x, the two characters, the field's mark (the three fields' tokens for a
// pair are neighbours, in one index chunk).
const tokenFor = (pair, field) => "x" + pair.first + pair.second + field;

// The terms of a query (its runs of characters, each of which a card must contain) and, per
// term, its pairs: each adjacent pair, or for a single character, the prefix that every pair
// it starts shares.
function termsOf(q) {
  return (normalise(q).match(RUN) || []).map((run) => {
    const chars = [...run];
    if (chars.length === 1) return { run, pairs: [{ first: code(run), second: "", exact: false }] };
    return { run, pairs: chars.slice(1).map((c, i) => ({ first: code(chars[i]), second: code(c), exact: true })) };
  });
}

// The pages where the lists' words stand one after the other (list k's word at position p + k),
// and how often: Map(page id -> count).
function adjacent(lists) {
  const out = new Map();
  if (lists.some((l) => !l.size)) return out;
  const smallest = lists.reduce((a, b) => (b.size < a.size ? b : a));
  for (const page of smallest.keys()) {
    const at = lists.map((l) => l.get(page));
    if (at.some((p) => !p)) continue;
    const later = at.slice(1).map((p) => new Set(p));
    const count = at[0].filter((p) => later.every((s, k) => s.has(p + k + 1))).length;
    if (count) out.set(index.id(page), count);
  }
  return out;
}

// Where a term is, per field: Map(page id -> times) for each of FIELD's marks. A term of pairs
// is its tokens adjacent, in order, none missing (never a looser match: Pagefind's own search
// drops a word it cannot find or reads it as a shorter one); one character, every pair it starts.
function pagesOf(term) {
  if (!termPages.has(term.run)) {
    if (termPages.size >= 500) termPages.delete(termPages.keys().next().value); // the oldest
    termPages.set(term.run, (async () => {
      const byField = {};
      if (term.pairs.length === 1 && !term.pairs[0].exact) {
        for (const mark of Object.values(FIELD)) byField[mark] = new Map();
        for (const [word, pages] of await index.words("x" + term.pairs[0].first)) {
          const found = word.length === 8 && byField[word.slice(-1)]; // a token, not a word of the text
          if (!found) continue;
          for (const [page, at] of pages) {
            const id = index.id(page);
            found.set(id, (found.get(id) || 0) + at.length);
          }
        }
        return byField;
      }
      const words = await Promise.all(term.pairs.map((p) => index.words("x" + p.first + p.second, false)));
      for (const mark of Object.values(FIELD)) {
        byField[mark] = adjacent(term.pairs.map((p, k) => words[k].find(([w]) => w === tokenFor(p, mark))?.[1] || new Map()));
      }
      return byField;
    })());
  }
  return termPages.get(term.run);
}

// Cards holding every term in a field: Map(page id -> times the terms are there).
async function cardsWith(field, terms) {
  const found = (await Promise.all(terms.map(pagesOf))).map((f) => f[field]);
  if (!found.length) return new Map();
  found.sort((a, b) => a.size - b.size);
  const out = new Map();
  for (const id of found[0].keys()) {
    if (found.every((m) => m.has(id))) out.set(id, found.reduce((sum, m) => sum + m.get(id), 0));
  }
  return out;
}

function escapeHtml(text) {
  return text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c]));
}

// The card's text as Pagefind stored it (its words joined by zero-width spaces, block ends as
// ". "), and where the card's own text starts: the document's name and the issue come first.
function cardText(item) {
  const text = item.content.replace(/\u200b/g, "").replace(/\. (?=\S)/g, " ");
  const at = item.meta.title ? text.indexOf(item.meta.title) : -1;
  return { chars: [...text], own: Math.max(0, at >= 0 ? [...text.slice(0, at)].length : 0) };
}
const ownText = (item) => { const { chars, own } = cardText(item); return chars.slice(own).join(""); };

// An excerpt that starts at the first passage after the card's title holding a term (else at
// the title or a heading holding it, else after the title), with every term marked.
// Positions carry over: normalise keeps one character for one.
function excerptFor(item, terms) {
  const { chars, own } = cardText(item);
  const plain = chars.map(normaliseChar).join("");
  const hits = [];
  for (const { run } of terms) {
    for (let at = plain.indexOf(run); at >= 0; at = plain.indexOf(run, at + run.length)) hits.push([at, at + run.length]);
  }
  hits.sort((a, b) => a[0] - b[0]);
  const title = own + [...(item.meta.title || "")].length;
  const first = hits.find(([s]) => s >= title) || hits.find(([s]) => s >= own) || hits[0];
  const start = first ? Math.max(first[0] >= title ? title : first[0] >= own ? own : 0, first[0] - 20) : title;
  const end = Math.min(chars.length, start + 110);
  const slice = (s, e) => escapeHtml(chars.slice(s, e).join(""));
  let html = "", at = start;
  for (const [s, e] of hits) {
    if (s < at || s >= end) continue;
    html += slice(at, s) + `<mark>${slice(s, Math.min(e, end))}</mark>`;
    at = Math.min(e, end);
  }
  html += slice(at, end);
  return (start > title ? "…" : "") + html.trim() + (end < chars.length ? "…" : "");
}

// Each facet's values and cards (pagefind/filter/), fetched when first needed: {key: facet}.
async function facetsOf(keys) {
  return Object.fromEntries(await Promise.all(keys.map(async (key) => [key, await index.facet(key)])));
}

// How many of the cards hold each value of each facet: {key: {value: count}}.
function countsOf(pages, facets) {
  const out = {};
  for (const [key, facet] of Object.entries(facets)) {
    const count = out[key] = {};
    for (const page of pages) for (const v of facet.byPage.get(page) || []) count[v] = (count[v] || 0) + 1;
  }
  return out;
}

function facetCounts(counts, key) {
  const values = Object.keys(allFilters?.[key] || {});
  return values.map((v) => [v, counts?.[key]?.[v] ?? 0]).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0], "zh-CN"));
}

// One collapsed group per facet, its values most-used first, each with its count.
function renderFacets(state, counts) {
  const active = Object.values(state.filters).reduce((n, vs) => n + vs.length, 0);
  $("active-count").textContent = active ? `（已选 ${active} 项）` : "";
  $("clear").hidden = !active;
  if (!allFilters) return; // loaded when the panel is first opened
  const open = new Set([...facetsBox.querySelectorAll("details[open]")].map((d) => d.dataset.key));
  facetsBox.replaceChildren();
  for (const [key, label] of FACETS) {
    const chosen = new Set(state.filters[key] || []);
    const values = facetCounts(counts, key).filter(([v, n]) => n || chosen.has(v));
    if (!values.length) continue;
    const group = document.createElement("details");
    group.className = "facet";
    group.dataset.key = key;
    group.open = open.has(key) || chosen.size > 0;
    group.innerHTML = `<summary>${escapeHtml(label)} <span class="count">${values.length}</span></summary>`;
    for (const [value, count] of values) {
      const id = `f-${key}-${value}`;
      const row = document.createElement("div");
      row.className = "facet-value";
      row.innerHTML = `<input type="checkbox" id="${escapeHtml(id)}" name="${escapeHtml(key)}" value="${escapeHtml(value)}"${chosen.has(value) ? " checked" : ""}>` +
        `<label for="${escapeHtml(id)}">${escapeHtml(value)} <span class="count">${count}</span></label>`;
      group.append(row);
    }
    facetsBox.append(group);
  }
}

function resultItem(item, terms) {
  const li = document.createElement("li");
  li.className = "result";
  const m = item.meta;
  const ended = m.vs === "已失效" || m.vs === "已废止" || (!!m.vu && m.vu < today && (!m.vs || m.vs === "现行有效"));
  const badge = ended ? ` <span class="validity validity-ended">${escapeHtml(m.vs && m.vs !== "现行有效" ? m.vs : "已失效")}</span>` : "";
  li.innerHTML = `<a class="result-title" href="${escapeHtml(item.url)}">${escapeHtml(m.title || item.url)}</a>${badge}` +
    `<p class="result-excerpt">${excerptFor(item, terms)}</p>` +
    `<p class="result-meta">${escapeHtml(m.document || "")}${m.issue ? " · " + escapeHtml(m.issue) : ""}` +
    `${m.lead ? "<br>牵头：" + escapeHtml(m.lead) : ""}${m.deadline ? " · 时限：" + escapeHtml(m.deadline) : ""}</p>`;
  return li;
}

async function showMore(id = runId) {
  const batch = current.slice(shown, shown + PAGE);
  const items = await Promise.all(batch.map((page) => index.fragment(page)));
  if (id !== runId) return; // a newer search replaced these results while they loaded
  shown += batch.length;
  results.append(...items.map((item) => resultItem(item, shownTerms)));
  more.hidden = shown >= current.length;
}

// The orders a reader can sort by (earliest deadline, newest document), fetched on first use:
// pagefind/sort.json.gz, written by the build (outputs/search.py write_sorts).
let sortOrders = null;
async function sorted(found, key) {
  sortOrders ||= fetch(`${base}pagefind/sort.json.gz`).then(async (response) => {
    if (!response.ok) return {};
    const bytes = new Uint8Array(await response.arrayBuffer());
    const gzipped = bytes[0] === 0x1f && bytes[1] === 0x8b; // unless the server unpacked it already
    const text = gzipped ? await new Response(new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"))).text()
      : new TextDecoder().decode(bytes);
    return Object.fromEntries(Object.entries(JSON.parse(text)).map(([k, ids]) => [k, new Map(ids.map((id, i) => [id, i]))]));
  }).catch(() => ({})); // unsorted rather than no results
  const order = (await sortOrders)[key] || new Map();
  const at = (page) => order.get(page) ?? Infinity;
  return [...found].sort((a, b) => at(a) - at(b));
}

// Title first, then lead agency, then the rest: over every match (the three fields' tokens of a
// pair are in the chunks the text's were read from).
// Policies no longer in force come after those in force of the same rank (pagefind/validity.json:
// what each card states; its `until` is read against today, as static/status.js does).
let validity = null;
const today = new Date(Date.now() - new Date().getTimezoneOffset() * 60000).toISOString().slice(0, 10);
async function ended() {
  validity ||= fetch(`${base}pagefind/validity.json`).then((r) => (r.ok ? r.json() : {})).catch(() => ({}));
  const stated = await validity;
  return (page) => {
    const [status, until] = stated[page] || ["", ""];
    return status === "已失效" || status === "已废止" || (!!until && until < today && (!status || status === "现行有效"));
  };
}

// Within a rank, the cards that hold the query most often for their length first (`held`: page
// id -> times), then in the index's order.
async function ranked(found, terms, held) {
  const [title, lead, isEnded] = await Promise.all([cardsWith(FIELD.title, terms), cardsWith(FIELD.lead, terms), ended()]);
  // Title, lead agency, text; within each, what is in force before what no longer is.
  const rank = (page) => 2 * (title.has(page) ? 0 : lead.has(page) ? 1 : 2) + (isEnded(page) ? 1 : 0);
  const score = (page) => (held.get(page) || 0) / Math.sqrt(index.length(page) + 10);
  return found.map((page, i) => [rank(page), score(page), i, page]).sort((a, b) => a[0] - b[0] || b[1] - a[1] || a[2] - b[2])
    .map((x) => x[3]);
}

// No card holds the query: a word one character away that cards do hold (证照份离 -> 证照分离:
// a character replaced; 证照分分离 -> 证照分离: one too many), offered as a question, with the
// cards it finds; else the cards holding most of the query's pairs. Both are shown apart from
// results and labelled as what they are. Where such a word may be is read from the query's own
// pairs (fetched already) and the text of a few cards, which then show the word found: at 10,000
// cards, looking its pairs up would fetch two more index chunks (40 KB).
async function nearest(id, q, terms) {
  near.replaceChildren();
  let guess = "", ids = [];
  const read = new Map(); // page id -> a card read while looking, and its own text, normalised
  for (const [t, { run }] of terms.entries()) {
    const chars = [...run], others = terms.filter((_, k) => k !== t);
    const without = (i) => chars.filter((_, k) => k !== i).join("");
    // Offer the word: with the best cards that hold it (of those read, when it was found in one).
    const offer = async (word, fromText = false) => {
      const runs = [...others.map((x) => x.run), word], titled = (page) => normalise(read.get(page).item.meta.title || "").includes(word);
      const found = !fromText ? await bestFor([...others, ...termsOf(word)])
        : [...read.keys()].filter((page) => runs.every((r) => read.get(page).text.includes(r))).sort((a, b) => titled(b) - titled(a)).slice(0, 5);
      if (found.length) [guess, ids] = [terms.map((x, k) => (k === t ? word : x.run)).join(" "), found];
    };
    // The five best cards holding the parts of the term before and after position i (parts of
    // two characters or more: the query's own pairs; of one, for a term of three): title
    // first, then how often.
    const candidates = async (i) => {
      const parts = [chars.slice(0, i), chars.slice(i + 1)].filter((p) => p.length >= (chars.length > 3 ? 2 : 1))
        .map((p) => termsOf(p.join(""))[0]);
      if (!parts.length) return [];
      const [held, title] = await Promise.all([cardsWith(FIELD.text, [...others, ...parts]), cardsWith(FIELD.title, parts)]);
      const best = [...held].sort((a, b) => title.has(b[0]) - title.has(a[0]) || b[1] - a[1]).slice(0, 5).map(([page]) => page);
      const items = await loadCards(best);
      best.forEach((page, k) => read.set(page, { item: items[k], text: [...ownText(items[k])].map(normaliseChar).join("") }));
      return items;
    };
    // A character typed twice (融资担担保) first: the likeliest slip, and 融资再担保 is one
    // replacement away too.
    for (let i = 1; chars.length >= 3 && i < chars.length && !guess; i++) {
      if (chars[i] === chars[i - 1]) await offer(without(i));
    }
    for (let i = 0; chars.length >= 3 && i < chars.length && !guess; i++) {
      for (const item of await candidates(i)) {
        const word = oneApart(item, chars, i);
        if (word) { await offer(word, true); break; }
      }
    }
    for (let i = 0; chars.length >= 4 && i < chars.length && !guess; i++) {
      const word = without(i);
      if (i === 0 || i === chars.length - 1) await offer(word); // a part of the query: its pairs are fetched
      else if ((await candidates(i)).some((item) => [...ownText(item)].map(normaliseChar).join("").includes(word))) await offer(word, true);
    }
    if (guess) break;
  }
  if (!ids.length) ids = await holdingMost(terms);
  const items = await loadCards(ids);
  if (id !== runId || !items.length) return;
  const heading = document.createElement("p");
  heading.className = "near-heading";
  heading.innerHTML = `您是不是要找：<a href="${escapeHtml(urlFromState({ q: guess, sort: "", filters: {} }))}" class="did-you-mean">${escapeHtml(guess)}</a>`;
  const label = document.createElement("p");
  label.className = "near-label";
  label.textContent = `最接近的卡片（不完全包含“${q}”）：`;
  const list = document.createElement("ol");
  list.className = "results near-results";
  list.append(...items.map((item) => resultItem(item, guess ? termsOf(guess) : terms)));
  near.append(...(guess ? [heading] : []), label, list);
}

// The ids of the five best cards holding every term (none: an empty list).
async function bestFor(terms) {
  const held = await cardsWith(FIELD.text, terms);
  return (await ranked([...held.keys()], terms, held)).slice(0, 5);
}

const loadCards = (ids) => Promise.all(ids.map((page) => index.fragment(page)));

// The word in the card's text that is `chars` with another character at position i.
function oneApart(item, chars, i) {
  const plain = [...ownText(item)].map(normaliseChar);
  for (let at = 0; at + chars.length <= plain.length; at++) {
    if (plain[at + i] === chars[i]) continue;
    if (chars.every((c, k) => k === i || plain[at + k] === c)) {
      const word = plain.slice(at, at + chars.length).join("");
      if (WORD.test(word)) return word;
    }
  }
  return "";
}

// The cards that hold the most of the query's pairs, when that is at least half of them.
async function holdingMost(terms) {
  const pairs = terms.flatMap((t) => t.pairs);
  if (pairs.length < 2) return [];
  const sets = await Promise.all(pairs.map((p) => pagesOf({ run: p.first + p.second, pairs: [p] }).then((f) => f[FIELD.text])));
  const hits = new Map();
  for (const set of sets) for (const page of set.keys()) hits.set(page, (hits.get(page) || 0) + 1);
  const best = Math.max(0, ...hits.values());
  if (best < Math.ceil(pairs.length / 2)) return [];
  return [...hits].filter(([, n]) => n === best).map(([page]) => page).slice(0, 5);
}

// A search; a file of the index that cannot be read (the site was just updated, the network
// failed) is said, never a page left waiting.
async function run(state) {
  const id = ++runId;
  try {
    await search(state, id);
  } catch (error) {
    if (id !== runId) return;
    status.textContent = "暂时读不到搜索索引（网站可能刚刚更新），请刷新页面再试。";
    root.removeAttribute("aria-busy");
    console.error(error);
  }
}

async function search(state, id) {
  root.setAttribute("aria-busy", "true"); // cleared once the results on screen are final
  await ready; // a reader may type before the index has loaded
  if (id !== runId) return; // a newer search started meanwhile: it owns the page now
  if (input.value.trim() !== state.q) input.value = state.q;
  if (headerBox && document.activeElement !== headerBox) headerBox.value = state.q;
  sortSelect.value = state.sort;
  const filters = state.filters;
  const terms = termsOf(state.q);
  near.replaceChildren();
  if (!state.q && !Object.keys(filters).length) {
    results.replaceChildren();
    current = [];
    more.hidden = true;
    status.textContent = "输入关键词，或展开“筛选”按单位、主题、地区等查找。";
    renderFacets(state, allFilters);
    root.removeAttribute("aria-busy");
    return;
  }
  // Every term must be in the handbook before anything is shown as a result.
  const held = terms.length ? await cardsWith(FIELD.text, terms) : null;
  if (id !== runId) return;
  let found = [], counts = {};
  if (!state.q || (held && held.size)) {
    found = held ? [...held.keys()] : index.ids();
    if (Object.keys(filters).length || allFilters) {
      // The chosen facets' files (every facet's, for the panel's counts).
      const facets = await facetsOf(allFilters ? FACETS.map(([key]) => key) : Object.keys(filters));
      if (id !== runId) return;
      found = found.filter((page) => Object.entries(filters).every(([key, values]) => {
        const has = facets[key].byPage.get(page) || [];
        return values.some((v) => has.includes(v));
      }));
      if (allFilters) counts = countsOf(found, facets);
    }
    if (state.sort) found = await sorted(found, state.sort);
    else if (held) found = await ranked(found, terms, held);
  }
  if (id !== runId) return; // a newer search has started
  current = found;
  shownTerms = terms;
  shown = 0;
  results.replaceChildren();
  if (found.length) status.textContent = `找到 ${found.length} 条措施`;
  else if (state.q && !(held && held.size)) status.textContent = `没有找到包含“${state.q}”的卡片。`;
  else status.textContent = "没有找到相关措施，换个说法试试，或减少筛选条件。";
  renderFacets(state, counts);
  await showMore(id);
  if (!found.length && state.q && terms.length && !(held && held.size)) await nearest(id, state.q, terms);
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

// Results follow each keystroke (a pinyin input method's letters wait for the chosen characters).
input.addEventListener("input", (e) => { if (!e.isComposing) commit(false); });
input.addEventListener("compositionend", () => commit(false));
root.querySelector("form").addEventListener("submit", (e) => { e.preventDefault(); commit(true); });
if (headerBox) {
  // On this page the header's box is the same search: it types into the page's box.
  const follow = (e) => { if (!e.isComposing) { input.value = headerBox.value; commit(false); } };
  headerBox.addEventListener("input", follow);
  headerBox.addEventListener("compositionend", follow);
  headerBox.form.addEventListener("submit", (e) => { e.preventDefault(); input.value = headerBox.value; commit(true); });
}
sortSelect.addEventListener("change", () => commit(true));
facetsBox.addEventListener("change", () => commit(true));
$("clear").addEventListener("click", () => {
  for (const b of facetsBox.querySelectorAll("input:checked")) b.checked = false;
  history.pushState(null, "", urlFromState({ ...readForm(), filters: {} }));
  run(stateFromUrl());
});
more.addEventListener("click", () => showMore());
near.addEventListener("click", (e) => {
  const link = e.target.closest("a.did-you-mean");
  if (!link) return;
  e.preventDefault();
  input.value = link.textContent;
  commit(true);
});
window.addEventListener("popstate", () => run(stateFromUrl()));
// The filter values are fetched when the panel is first opened, not before.
panel.addEventListener("toggle", async () => {
  if (!panel.open || allFilters) return;
  await ready;
  const facets = await facetsOf(FACETS.map(([key]) => key));
  allFilters = Object.fromEntries(Object.entries(facets).map(([key, f]) => [key, Object.fromEntries([...f.values].map(([v, pages]) => [v, pages.size]))]));
  run(stateFromUrl()); // the URL holds the chosen filters until their boxes are drawn
});

const ready = (async () => {
  const table = fetch(`${base}search/terms.json`).then((r) => (r.ok ? r.json() : null)).catch(() => null);
  ended(); // small, and every ranking needs it: fetched now rather than after the first chunks
  index = await openIndex(base);
  const t = await table;
  if (t) {
    const to = [...t.to];
    t2s = new Map([...t.from].map((c, i) => [c, to[i]]));
  }
})();
const initial = stateFromUrl();
if (!initial.q && input.value.trim()) {
  // Typed before this script ran: keep it rather than reset the box from the URL.
  initial.q = input.value.trim();
  history.replaceState(null, "", urlFromState(initial));
}
run(initial);
