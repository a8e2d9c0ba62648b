// The matcher (适用于我吗, /match/): the answers in the address (?region=…&type=…&sector=…&need=…)
// become a list of the measures that apply, from match/measures.json (outputs/matchdata.py).
// The rules mirror library/eligibility.py (tests hold the two to the same result): a measure of
// the chosen region or a region above it; for a type the business has (none named: 可能适用，
// 请咨询); under the first chosen need it is about; no longer in force: listed apart. Statuses
// mirror library/validity.effective from today's date, as static/status.js does.
// Every text from content goes in with textContent: no HTML is ever parsed from the data.
(function () {
  "use strict";
  var form = document.getElementById("match-form");
  var result = document.getElementById("match-result");
  var script = document.getElementById("match-script");
  if (!form || !result || !script || !window.fetch || !window.URLSearchParams || !window.FormData) return;
  document.getElementById("match-noscript").hidden = true;

  var now = new Date();
  var today = [now.getFullYear(), pad(now.getMonth() + 1), pad(now.getDate())].join("-");
  function pad(n) { return (n < 10 ? "0" : "") + n; }
  var ENDED = { "已失效": true, "已废止": true };

  function status(v) {
    if (v.stated && v.stated !== "现行有效") return v.stated;
    if (v.until && v.until < today) return "已失效";
    if (v.from && v.from > today) return "尚未施行";
    return v.stated || v.until || v.from ? "现行有效" : "";
  }

  function answers(query) {
    var q = new URLSearchParams(query);
    var need = q.getAll("need");
    return { region: q.get("region") || "", types: q.getAll("type").concat(q.getAll("sector")), needs: need };
  }

  function fill(a) {
    form.elements.region.value = a.region;
    if (form.elements.region.value !== a.region) form.elements.region.value = "";
    Array.prototype.forEach.call(form.querySelectorAll("input[type=checkbox]"), function (box) {
      box.checked = (box.name === "need" ? a.needs : a.types).indexOf(box.value) >= 0;
    });
  }

  function query() {
    var q = new URLSearchParams();
    new FormData(form).forEach(function (value, key) { if (value) q.append(key, value); });
    return q.toString();
  }

  function needOf(m, needs, order) {
    var mine = m.topics.filter(function (t) { return order.indexOf(t) >= 0; })
      .sort(function (x, y) { return order.indexOf(x) - order.indexOf(y); });
    if (!needs.length) return mine.length ? mine[0] : "";
    for (var i = 0; i < mine.length; i++) if (needs.indexOf(mine[i]) >= 0) return mine[i];
    return "";
  }

  // The verdicts of library/eligibility.match, in reading order.
  function match(data, a) {
    var covering = data.covering[a.region] || (a.region ? [a.region] : []);
    var out = { applies: [], maybe: [], ended: [], other: 0 };
    var everyone = data.everyone || [];
    data.measures.forEach(function (m) {
      if (!m.region || covering.indexOf(m.region) < 0) return;
      var need = needOf(m, a.needs, data.topics);
      if (!need) return;
      var forAll = m["for"].some(function (t) { return everyone.indexOf(t) >= 0; });
      var known = forAll || (m["for"].length > 0 && a.types.length > 0);
      if (known && !forAll && !m["for"].some(function (t) { return a.types.indexOf(t) >= 0; })) out.other += 1;
      else if (ENDED[status(m.validity || {})]) out.ended.push({ need: need, m: m });
      else (known ? out.applies : out.maybe).push({ need: need, m: m });
    });
    return out;
  }

  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text) node.textContent = text;
    return node;
  }

  function link(href, text, cls) {
    var a = el("a", cls, text);
    a.href = href;
    return a;
  }

  function nextDeadline(m) {
    var dates = (m.dates || []).slice().sort(function (x, y) { return x.date < y.date ? -1 : x.date > y.date ? 1 : 0; });
    for (var i = 0; i < dates.length; i++) if (dates[i].date >= today) return dates[i].when + "（" + dates[i].kind + "）";
    if (m.undated) return m.undated.join("；");
    if (dates.length) return "已过：" + dates[dates.length - 1].when;
    return "原文未写明时限";
  }

  function whom(data, m) {
    var dd = el("dd");
    var lead = m.lead || [];
    if (lead.length) {
      dd.appendChild(document.createTextNode((m.role || "牵头单位") + "："));
      lead.forEach(function (name, i) {
        if (i) dd.appendChild(document.createTextNode("、"));
        dd.appendChild(data.agencies[name] ? link(data.agencies[name], name) : document.createTextNode(name));
      });
      dd.appendChild(document.createTextNode(" "));
    }
    var c = m.contact || {};
    if (c.phone || c.address || c.website) {
      var line = el("span", "match-contact");
      if (c.name && lead.indexOf(c.name) < 0) line.appendChild(document.createTextNode(c.name + " "));
      if (c.phone) {
        line.appendChild(document.createTextNode("电话 "));
        line.appendChild(link("tel:" + c.phone.replace(/[^0-9+]/g, ""), c.phone));
      }
      if (c.address) line.appendChild(document.createTextNode((c.phone ? "；" : "") + "地址 " + c.address));
      if (c.website && /^https?:\/\//.test(c.website)) {
        line.appendChild(document.createTextNode(c.phone || c.address ? "；" : ""));
        line.appendChild(link(c.website, "网站"));
      }
      dd.appendChild(line);
    } else {
      var doc = data.documents[m.document];
      var ask = "暂无联系方式，可咨询发文机关" + doc.issuer + (data.hotline ? "，或拨打 " + data.hotline : "");
      dd.appendChild(el("span", "match-contact match-fallback", ask));
    }
    return dd;
  }

  function fact(label, dd) {
    var div = el("div");
    div.appendChild(el("dt", "", label));
    div.appendChild(dd);
    return div;
  }

  function item(data, m) {
    var li = el("li", "match-item");
    li.setAttribute("data-id", m.id);
    var title = el("p", "match-title");
    title.appendChild(link(m.url, m.title));
    var s = status(m.validity || {});
    if (s && s !== "现行有效") title.appendChild(el("span", "match-badge", s));
    li.appendChild(title);
    var doc = data.documents[m.document];
    var where = el("p", "match-where", m.region + " · ");
    where.appendChild(link(doc.url, doc.title));
    li.appendChild(where);
    var facts = el("dl", "match-facts");
    facts.appendChild(fact("适用对象", el("dd", "", m["for"].length ? m["for"].join("、") : "原文未写明")));
    facts.appendChild(fact("找谁", whom(data, m)));
    facts.appendChild(fact("时限", el("dd", "match-deadline", nextDeadline(m))));
    li.appendChild(facts);
    return li;
  }

  // One part of the result: a heading, then the measures under each need, needs in taxonomy order.
  function part(data, id, heading, note, entries) {
    var section = el("section", "match-part match-" + id);
    section.id = "match-" + id;
    section.appendChild(el("h3", "match-part-heading", heading + "（" + entries.length + " 条）"));
    if (note) section.appendChild(el("p", "match-note", note));
    data.topics.forEach(function (need) {
      var mine = entries.filter(function (e) { return e.need === need; });
      if (!mine.length) return;
      var group = el("div", "match-need");
      group.appendChild(el("h4", "", need + "（" + mine.length + "）"));
      var list = el("ul", "match-list");
      mine.forEach(function (e) { list.appendChild(item(data, e.m)); });
      group.appendChild(list);
      section.appendChild(group);
    });
    return section;
  }

  function show(data, a) {
    var lists = document.getElementById("match-lists");
    while (lists.firstChild) lists.removeChild(lists.firstChild);
    if (!a.region) { result.hidden = true; return; }
    var out = match(data, a);
    var covering = data.covering[a.region] || [a.region];
    document.getElementById("match-for").textContent = "注册地：" + a.region +
      (covering.length > 1 ? "（" + covering.slice(1).join("、") + "的措施同样适用）" : "") +
      "；企业类型：" + (a.types.length ? a.types.join("、") : "未选") +
      "；需要：" + (a.needs.length ? a.needs.join("、") : "全部");
    var summary = "适用 " + out.applies.length + " 条，可能适用 " + out.maybe.length + " 条";
    if (out.ended.length) summary += "，已失效 " + out.ended.length + " 条";
    if (out.other) summary += "；另有 " + out.other + " 条面向其他类型企业的措施，未列出";
    document.getElementById("match-summary").textContent = summary + "。";
    lists.appendChild(part(data, "applies", "适用的措施",
      a.types.length ? "" : "还没有选择企业类型：选择后才能判断哪些措施适用。", out.applies));
    lists.appendChild(part(data, "maybe", "可能适用，请咨询",
      "这些措施没有写明适用对象（或您还没有选择企业类型），是否适用请向牵头单位咨询。", out.maybe));
    if (out.ended.length) {
      var box = el("details", "match-ended");
      box.appendChild(el("summary", "", "已失效的措施（" + out.ended.length + " 条，不再适用）"));
      var list = el("ul", "match-list");
      out.ended.forEach(function (e) { list.appendChild(item(data, e.m)); });
      box.appendChild(list);
      lists.appendChild(box);
    }
    document.getElementById("match-address").textContent = "本清单的网址：" + readable(location.href) + "（" + today + " 查询）";
    result.hidden = false;
  }

  function readable(address) {
    try { return decodeURI(address); } catch (e) { return address; }
  }

  var data = null;
  function update(scroll) {
    var q = query();
    if (location.search.replace(/^\?/, "") !== q) history.replaceState(null, "", q ? "?" + q : location.pathname);
    if (data) show(data, answers(q));
    if (scroll && !result.hidden) result.focus();
  }

  fill(answers(location.search));
  form.addEventListener("change", function () { update(false); });
  form.addEventListener("submit", function (event) { event.preventDefault(); update(true); });
  document.getElementById("match-print").addEventListener("click", function () { window.print(); });
  fetch(script.getAttribute("data-src")).then(function (response) {
    if (!response.ok) throw new Error(response.status);
    return response.json();
  }).then(function (loaded) {
    data = loaded;
    show(data, answers(query()));
    result.setAttribute("data-ready", "");
  }).catch(function () {
    var summary = document.getElementById("match-summary");
    summary.textContent = "措施数据没有加载成功，请刷新页面再试。";
    result.hidden = false;
  });
})();
