// Reads the index Pagefind wrote (pagefind/: its metadata, word chunks, filter files and
// fragments) without Pagefind's own search. Pagefind's exact search compares every result with every location of
// every word it looked up (pagefind_web search.rs, exact_term), so a phrase that 3,000 of 10,000
// cards hold took 400 ms; here a word's locations are read once, page by page.
// The files (Pagefind 1.5): gzip, the signature "pagefind_dcd", then CBOR (metadata, chunks) or
// JSON (fragments). Metadata: [version, [[page hash, word count]…], [[first word, last word,
// chunk hash]…], [[filter, hash]…], …]; a chunk: [[[word, [[page, _, locations]…], _]…]], pages as differences from
// the previous one, a location list as a field mark (negative) then positions as differences.

const SIGNATURE = "pagefind_dcd";
const text = new TextDecoder();

async function unpack(response) {
  if (!response.ok) throw new Error(`${response.url}: ${response.status}`);
  let bytes = new Uint8Array(await response.arrayBuffer());
  if (text.decode(bytes.subarray(0, 12)) !== SIGNATURE) { // gzip, unless the server unpacked it
    bytes = new Uint8Array(await new Response(new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"))).arrayBuffer());
  }
  if (text.decode(bytes.subarray(0, 12)) !== SIGNATURE) throw new Error(`${response.url}: not a Pagefind file`);
  return bytes.subarray(12);
}

// CBOR (RFC 8949) as Pagefind writes it: integers, strings, arrays; maps and simple values too.
function decode(bytes) {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let at = 0;
  const length = (info) => {
    if (info < 24) return info;
    if (info === 24) return bytes[at++];
    if (info === 25) { const v = view.getUint16(at); at += 2; return v; }
    if (info === 26) { const v = view.getUint32(at); at += 4; return v; }
    if (info === 27) { const v = Number(view.getBigUint64(at)); at += 8; return v; }
    throw new Error(`CBOR: indefinite length at ${at}`);
  };
  const item = () => {
    const head = bytes[at++], major = head >> 5, n = length(head & 31);
    switch (major) {
      case 0: return n;
      case 1: return -1 - n;
      case 2: at += n; return bytes.subarray(at - n, at);
      case 3: at += n; return text.decode(bytes.subarray(at - n, at));
      case 4: { const out = new Array(n); for (let i = 0; i < n; i++) out[i] = item(); return out; }
      case 5: { const out = {}; for (let i = 0; i < n; i++) { const k = item(); out[k] = item(); } return out; }
      case 7: return n === 20 ? false : n === 21 ? true : null;
      default: throw new Error(`CBOR: tag at ${at}`);
    }
  };
  return item();
}

// A word's pages and its positions on each: Map(page number -> ascending positions).
function postings(pages) {
  const out = new Map();
  let page = 0;
  for (const [step, , locations] of pages) {
    page += step;
    const positions = out.get(page) || [];
    let position = 0;
    for (const loc of locations) {
      if (loc < 0) position = 0; // a field mark: positions start again
      else positions.push(position += loc);
    }
    out.set(page, positions);
  }
  return out;
}

// A file that failed to load (the preview replaced the index meanwhile, a network error) is
// fetched again next time, not remembered as failed.
function forget(cache, key, promise) {
  return promise.catch((error) => {
    cache.delete(key);
    throw error;
  });
}

export class SearchIndex {
  constructor(base, pages, chunks, folder = "pagefind/") {
    this.base = base;
    this.folder = folder; // the bundle, or one of its shards (pagefind/shard-2/)
    this.pages = pages; // page number -> [fragment hash, word count]
    this.lengths = new Map(pages); // page id (fragment hash) -> word count
    this.chunks = chunks; // [first word (shortened), hash], in word order
    this.loaded = new Map(); // chunk hash -> Promise<Map(word -> raw pages)>
    this.fragments = new Map(); // page id -> Promise<fragment>
    this.facetFiles = new Map(); // facet -> hash of its file
    this.facets = new Map(); // facet -> Promise<{values, byPage}>
  }

  // The chunks that may hold words starting with `prefix` (`exact`: the word itself): the last
  // chunk whose first word is not after it, and (a prefix) the next ones that start with it.
  chunksFor(prefix, exact) {
    let low = 0, high = this.chunks.length;
    while (low < high) { const mid = (low + high) >> 1; if (this.chunks[mid][0] <= prefix) low = mid + 1; else high = mid; }
    const out = [this.chunks[Math.max(0, low - 1)]];
    for (let k = low; !exact && k < this.chunks.length && this.chunks[k][0].startsWith(prefix); k++) out.push(this.chunks[k]);
    return out;
  }

  chunk([, hash]) {
    if (!this.loaded.has(hash)) {
      this.loaded.set(hash, forget(this.loaded, hash, fetch(`${this.base}${this.folder}index/${hash}.pf_index`).then(unpack)
        .then((bytes) => new Map(decode(bytes)[0].map(([word, pages]) => [word, pages])))));
    }
    return this.loaded.get(hash);
  }

  // [word, Map(page -> positions)] for every word that starts with `prefix` (`exact`: is it).
  async words(prefix, exact = false) {
    const out = [];
    for (const words of await Promise.all(this.chunksFor(prefix, exact).map((c) => this.chunk(c)))) {
      if (exact) {
        if (words.has(prefix)) out.push([prefix, postings(words.get(prefix))]);
      } else {
        for (const [word, pages] of words) if (word.startsWith(prefix)) out.push([word, postings(pages)]);
      }
    }
    return out;
  }

  id(page) {
    return this.pages[page][0];
  }

  ids() {
    return this.pages.map(([hash]) => hash);
  }

  // A facet's values and cards: {values: Map(value -> Set of page ids), byPage: Map(page id ->
  // its values)}. Pagefind's filter file: [facet, [[value, [page…]]…]], pages as they are.
  facet(name) {
    if (!this.facets.has(name)) {
      const hash = this.facetFiles.get(name);
      const load = !hash ? Promise.resolve([name, []]) : fetch(`${this.base}${this.folder}filter/${hash}.pf_filter`).then(unpack).then(decode);
      this.facets.set(name, forget(this.facets, name, load.then(([, values]) => {
        const out = { values: new Map(), byPage: new Map() };
        for (const [value, pages] of values) {
          const ids = pages.map((page) => this.id(page));
          out.values.set(value, new Set(ids));
          for (const id of ids) (out.byPage.get(id) || out.byPage.set(id, []).get(id)).push(value);
        }
        return out;
      })));
    }
    return this.facets.get(name);
  }

  length(id) {
    return this.lengths.get(id) || 0;
  }

  // What Pagefind stored of a page (url, content, meta), its url from the site's base as
  // Pagefind's own data() gives it.
  fragment(id) {
    if (!this.fragments.has(id)) {
      this.fragments.set(id, forget(this.fragments, id, fetch(`${this.base}${this.folder}fragment/${id}.pf_fragment`).then(unpack).then((bytes) => {
        const data = JSON.parse(text.decode(bytes));
        data.url = `${this.base}/${data.url}`.replace(/\/+/g, "/").replace(/^(https?:\/)/, "$1/");
        return data;
      })));
    }
    return this.fragments.get(id);
  }
}

// A large handbook's index in shards (outputs/search.py: pagefind/shards.json names the other
// bundles), read as one: the same methods, page numbers running on from one shard to the next,
// page ids (fragment hashes) unique across shards.
export class ShardedIndex {
  constructor(shards) {
    this.shards = shards;
    this.offsets = [];
    this.owner = new Map(); // page id -> its shard
    let count = 0;
    for (const shard of shards) {
      this.offsets.push(count);
      count += shard.pages.length;
      for (const [hash] of shard.pages) this.owner.set(hash, shard);
    }
  }

  async words(prefix, exact = false) {
    const merged = new Map();
    const lists = await Promise.all(this.shards.map((shard) => shard.words(prefix, exact)));
    lists.forEach((list, k) => {
      for (const [word, pages] of list) {
        const into = merged.get(word) || merged.set(word, new Map()).get(word);
        for (const [page, at] of pages) into.set(page + this.offsets[k], at);
      }
    });
    return [...merged];
  }

  id(page) {
    let k = this.offsets.length - 1;
    while (k > 0 && this.offsets[k] > page) k--;
    return this.shards[k].id(page - this.offsets[k]);
  }

  ids() {
    return this.shards.flatMap((shard) => shard.ids());
  }

  length(id) {
    return this.owner.get(id)?.length(id) || 0;
  }

  fragment(id) {
    return (this.owner.get(id) || this.shards[0]).fragment(id);
  }

  async facet(name) {
    const out = { values: new Map(), byPage: new Map() };
    for (const part of await Promise.all(this.shards.map((shard) => shard.facet(name)))) {
      for (const [value, ids] of part.values) {
        const into = out.values.get(value) || out.values.set(value, new Set()).get(value);
        for (const id of ids) into.add(id);
      }
      for (const [id, values] of part.byPage) out.byPage.set(id, values);
    }
    return out;
  }
}

// One bundle's index of the page's language (the only one, for this site).
async function openBundle(base, folder) {
  const entry = await (await fetch(`${base}${folder}pagefind-entry.json`)).json();
  const languages = Object.entries(entry.languages);
  const lang = document.documentElement.lang.toLowerCase();
  const [, language] = languages.find(([code]) => code === lang) || languages[0];
  const meta = decode(await unpack(await fetch(`${base}${folder}pagefind.${language.hash}.pf_meta`)));
  const index = new SearchIndex(base, meta[1], meta[2].map(([from, , hash]) => [from, hash]), folder);
  for (const [name, hash] of meta[3]) index.facetFiles.set(name, hash);
  return index;
}

// The handbook's index: one bundle, or its shards read as one.
export async function openIndex(base) {
  const shards = fetch(`${base}pagefind/shards.json`).then((r) => (r.ok ? r.json() : [])).catch(() => []);
  const first = openBundle(base, "pagefind/");
  const others = await shards;
  if (!others.length) return first;
  return new ShardedIndex(await Promise.all([first, ...others.map((name) => openBundle(base, `pagefind/${name}/`))]));
}
