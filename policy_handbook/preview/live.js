// Live preview client, added to every page by `build.py serve` (never part of the built site).
// It listens to the server's build events: a rebuild that changed this page reloads it; a build
// that failed shows the errors over the page, which stays as last built; a good build clears them.
(function () {
  "use strict";
  var script = document.currentScript;
  var since = script ? script.getAttribute("data-since") : "0";
  var page = location.pathname;
  var host = null;

  function overlay(errors, kept) {
    if (!host) {
      host = document.createElement("div");
      host.id = "live-preview-errors";
      host.attachShadow({ mode: "open" });
      document.documentElement.appendChild(host);
    }
    var root = host.shadowRoot;
    root.textContent = "";
    var style = document.createElement("style");
    style.textContent =
      ":host{all:initial}" +
      ".panel{position:fixed;inset:0;z-index:2147483647;overflow:auto;background:rgba(20,20,20,.72);" +
      "font:15px/1.5 system-ui,-apple-system,'PingFang SC','Microsoft YaHei',sans-serif;color:#1a1a1a}" +
      ".box{max-width:56rem;margin:4vh auto;background:#fff;border-top:6px solid #b3261e;border-radius:6px;" +
      "padding:1rem 1.25rem;box-shadow:0 8px 30px rgba(0,0,0,.35)}" +
      ".head{display:flex;align-items:flex-start;gap:.75rem}" +
      "h2{flex:1;margin:0 0 .25rem;font-size:1.15rem;color:#b3261e}" +
      "p.note{margin:0 0 .75rem;color:#555}" +
      "ol{margin:0;padding:0;list-style:none}" +
      "li{border-top:1px solid #eee;padding:.6rem 0}" +
      "code{font:13px/1.4 ui-monospace,Menlo,Consolas,monospace;background:#f6f0ef;padding:.1rem .3rem;" +
      "border-radius:3px;word-break:break-all}" +
      ".what{margin:.25rem 0 0}.fix{margin:.15rem 0 0;color:#1b5e20}" +
      "button{flex:none;font:inherit;border:1px solid #bbb;background:#fafafa;border-radius:4px;" +
      "padding:.2rem .7rem;cursor:pointer}";
    var panel = document.createElement("div");
    panel.className = "panel";
    panel.setAttribute("role", "alert");
    var box = document.createElement("div");
    box.className = "box";
    var close = document.createElement("button");
    close.type = "button";
    close.textContent = "关闭";
    close.addEventListener("click", function () { host.remove(); host = null; });
    var title = document.createElement("h2");
    title.textContent = "内容有错误（" + errors.length + " 处），" +
      (kept ? "页面仍是上次成功生成的版本" : "网站还没有成功生成过");
    var note = document.createElement("p");
    note.className = "note";
    note.textContent = "改好文件并保存后，此提示会自动消失。";
    var list = document.createElement("ol");
    errors.forEach(function (e) {
      var item = document.createElement("li");
      var where = document.createElement("code");
      where.className = "where";
      where.textContent = e.line ? e.path + ":" + e.line : e.path;
      var what = document.createElement("p");
      what.className = "what";
      what.textContent = e.message;
      item.appendChild(where);
      item.appendChild(what);
      if (e.hint) {
        var fix = document.createElement("p");
        fix.className = "fix";
        fix.textContent = "修改：" + e.hint;
        item.appendChild(fix);
      }
      list.appendChild(item);
    });
    var head = document.createElement("div");
    head.className = "head";
    head.appendChild(title);
    head.appendChild(close);
    box.appendChild(head);
    box.appendChild(note);
    box.appendChild(list);
    panel.appendChild(box);
    root.appendChild(style);
    root.appendChild(panel);
  }

  function connect() {
    var url = "/__live/events?page=" + encodeURIComponent(page) + "&since=" + encodeURIComponent(since);
    var source = new EventSource(url);
    source.addEventListener("message", function (event) {
      var state = JSON.parse(event.data);
      if (state.errors && state.errors.length) {
        overlay(state.errors, state.kept);
        return;
      }
      if (host) { host.remove(); host = null; }
      if (state.reload) {
        source.close();
        location.reload();
      }
    });
    // EventSource reconnects by itself when the server restarts.
  }

  connect();
})();
